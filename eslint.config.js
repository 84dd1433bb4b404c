import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', '.data/', 'packages/web/public/', 'bench/results/', 'e2e/screenshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The domain and storage layers know nothing of HTTP (STYLE.md §6.2).
    files: ['packages/server/src/**/*.service.ts', 'packages/server/src/**/*.repository.ts', 'packages/server/src/db/**', 'packages/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['fastify', '@fastify/*'], message: 'Domain and storage code must not depend on the HTTP framework.' }] }],
    },
  },
  {
    // Storage code applies filters; it never decides access (STYLE.md §6.2).
    files: ['packages/server/src/**/*.repository.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['fastify', '@fastify/*'], message: 'Storage code must not depend on the HTTP framework.' },
        { group: ['**/policy/*', '**/audit/*'], message: 'Repositories apply decisions; the service asks the policy module.' },
      ] }],
    },
  },
  {
    // The web bundle must never pull in server code (secrets, crypto, database).
    files: ['packages/web/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@carnet/server', '**/packages/server/**', 'node:*'], message: 'The web app cannot import server code.' }] }],
    },
  },
);
