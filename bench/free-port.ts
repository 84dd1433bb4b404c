import net from 'node:net';

/**
 * Asks the kernel for a port nobody listens on. Another process could take it before the child
 * binds it; on a bench machine that race is rare enough, and the child then fails loudly.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('The kernel gave no free port.'))));
    });
  });
}
