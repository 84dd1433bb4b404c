import path from 'node:path';
import { isCarnetSetting } from './carnet-process.ts';
import { startChildServer, type ChildServer } from './child-server.ts';

const SCRIPT = path.resolve(import.meta.dirname, 'bare-fastify.ts');

export function startBareFastify(options: { host: string; port: number }): Promise<ChildServer> {
  return startChildServer({
    name: 'bare Fastify',
    script: SCRIPT,
    env: {},
    dropEnv: isCarnetSetting,
    host: options.host,
    port: options.port,
    readyPath: '/healthz',
  });
}
