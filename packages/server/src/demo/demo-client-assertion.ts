// `npm run -s demo:client-assertion`: prints a fresh client assertion (RFC 7523 §2.2) of the demo
// software client, signed with its demo key, for the token endpoint of the Carnet that
// CARNET_BASE_URL (or PORT) names. docs/interop.md, "Getting a token", shows it in use.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { importJWK, type JWK, SignJWT } from 'jose';
import { ConfigError, loadConfig } from '../config.ts';

try {
  const config = loadConfig(process.env);
  const demo = JSON.parse(await readFile(new URL('./demo-software-client.key.json', import.meta.url), 'utf8')) as {
    clientId: string;
    privateJwk: JWK & { kid: string; alg: string };
  };
  const key = await importJWK(demo.privateJwk, demo.privateJwk.alg);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: demo.privateJwk.alg, kid: demo.privateJwk.kid, typ: 'JWT' })
    .setIssuer(demo.clientId)
    .setSubject(demo.clientId)
    .setAudience(`${config.baseUrl}/oauth/token`)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(key);
  process.stdout.write(`${assertion}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
