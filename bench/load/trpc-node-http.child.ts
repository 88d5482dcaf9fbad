/**
 * The load benchmark's "tRPC on node:http" server: the application's own tRPC route handler — the
 * function `src/app/api/trpc/[trpc]/route.ts` exports, with its CSRF check, body limit, request id,
 * session lookup and procedures — served from a bare `node:http` server instead of through Next's
 * router. It answers what `next start` answers on /api/trpc; the difference in throughput is what
 * Next's routing costs a tRPC request. Env: PORT, and the app's (DATABASE_URL, BENCAO_DATA_DIR …).
 * Prints `listening` once it accepts connections.
 */
import { createServer } from 'node:http';
import { GET, POST } from '../../src/app/api/trpc/[trpc]/route.ts';
import { services } from '../../src/server/services.ts';
import { sendFetchResponse, toFetchRequest } from '../../src/server/testing/node-http.ts';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('PORT is not set');
const origin = `http://127.0.0.1:${port}`;
await services();
const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', origin);
    const handler = url.pathname.startsWith('/api/trpc/') ? (req.method === 'GET' ? GET : req.method === 'POST' ? POST : null) : null;
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    await sendFetchResponse(res, await handler(await toFetchRequest(req, origin)));
  })().catch((error: unknown) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
});
// A normal exit on SIGTERM, so that a CPU profile (--cpu-prof) is written.
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
