// `npm run -s oauth:generate-keys > oauth-signing-keys.json`: a new private JSON Web Key Set for
// CARNET_OAUTH_SIGNING_KEYS_FILE (docs/interop.md). It goes to standard output only: store it
// with mode 0600, give the same file to every node, and never commit it.
import { generateSigningJwks } from './signing-keys.ts';

process.stdout.write(`${JSON.stringify(generateSigningJwks(), null, 2)}\n`);
