// `npm run -s demo:client-assertion`: prints a fresh client assertion (RFC 7523 §2.2) of the demo
// software client, signed with its demo key, for the token endpoint of the Carnet that
// CARNET_BASE_URL (or PORT) names. docs/interop.md, "Getting a token", shows it in use.
import { readFile } from 'node:fs/promises';
import { importJWK, type JWK } from 'jose';
import { ConfigError, loadConfig } from '../config.ts';
import { signClientAssertion } from '../oauth/client-assertion.ts';

try {
  const config = loadConfig(process.env);
  const demo = JSON.parse(await readFile(new URL('./demo-software-client.key.json', import.meta.url), 'utf8')) as {
    clientId: string;
    privateJwk: JWK & { kid: string; alg: string };
  };
  const assertion = await signClientAssertion(
    { clientId: demo.clientId, kid: demo.privateJwk.kid, alg: demo.privateJwk.alg, key: await importJWK(demo.privateJwk, demo.privateJwk.alg) },
    `${config.baseUrl}/oauth/token`,
    300,
  );
  process.stdout.write(`${assertion}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
