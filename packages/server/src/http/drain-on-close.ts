import type { FastifyInstance } from 'fastify';

/**
 * While the server closes, answers in flight carry `Connection: close`, so that the client's
 * keep-alive socket ends with its response instead of holding the shutdown open until it idles
 * out (RFC 9112 §9.6).
 */
export function registerDrainOnClose(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closing) reply.header('connection', 'close');
    return payload;
  });
}
