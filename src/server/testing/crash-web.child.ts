/**
 * The web process of the crash-safety harness (src/server/crash-safety.test.ts): the application's
 * own HTTP route handlers — the tRPC endpoint, the payments sandbox and the payments webhook, exactly
 * the functions the files under `src/app/api` export — served over `node:http` on a loopback port.
 *
 * Why not `next start`: a production `next build` takes minutes, far too long for a test that must
 * fit in `npm test`, and `next dev` compiles routes on first use. What the harness needs from the web
 * process is its request handling and its crash behaviour (a SIGKILL drops the requests in flight and
 * rolls back their open transactions); the Next server adds routing and rendering on top of these
 * same handlers, none of which takes part in a request's transaction.
 *
 * It runs no jobs (the harness's worker processes do, through BullMQ). Started as a standby
 * (crash-standby.ts), it prints `{"t":"listening","port":…}` once told to go and accepting
 * connections. Environment: DATABASE_URL, REDIS_URL, PORT, APP_URL (the web tier's address: the
 * harness's balancer in front of the replicas), CRASH_ANSWER_DELAY_MS (up to this long between a
 * handler's answer and writing it; the child prints `{"t":"answering"}` when such a wait starts, so
 * the harness can kill it just after a commit).
 */
import { createServer } from 'node:http';
import { GET as trpcGet, POST as trpcPost } from '../../app/api/trpc/[trpc]/route.ts';
import { GET as sandboxGet, POST as sandboxPost } from '../../app/api/payments-sandbox/v1/[...path]/route.ts';
import { POST as paymentWebhook } from '../../app/api/webhooks/payments/route.ts';
import { services } from '../services.ts';
import { awaitGo } from './crash-standby.ts';
import { sendFetchResponse, toFetchRequest } from './node-http.ts';

type Handler = (request: Request) => Promise<Response>;

function handlerFor(method: string, pathname: string): Handler | null {
  if (pathname.startsWith('/api/trpc/')) return method === 'GET' ? trpcGet : method === 'POST' ? trpcPost : null;
  if (pathname.startsWith('/api/payments-sandbox/v1/')) return method === 'GET' ? sandboxGet : method === 'POST' ? sandboxPost : null;
  if (pathname === '/api/webhooks/payments') return method === 'POST' ? paymentWebhook : null;
  return null;
}


async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT is not set');
  const origin = `http://127.0.0.1:${port}`;
  const answerDelayMs = Number(process.env.CRASH_ANSWER_DELAY_MS ?? 0);
  await awaitGo();
  // Opens the database and auth before the first request, as the Next server does at boot.
  await services();
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', origin);
        const handler = handlerFor(req.method ?? 'GET', url.pathname);
        if (!handler) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end('{"error":"not found"}');
          return;
        }
        const response = await handler(await toFetchRequest(req, origin));
        // A reply still on the wire: a kill then often lands after the request's commit and before
        // its answer, the case a client's resend (and a job's retried payments call) must survive.
        if (answerDelayMs > 0) {
          process.stdout.write(`${JSON.stringify({ t: 'answering', path: url.pathname })}\n`);
          await new Promise((resolve) => setTimeout(resolve, Math.floor(answerDelayMs * (0.2 + 0.8 * Math.random()))));
        }
        await sendFetchResponse(res, response);
      } catch (error) {
        console.error('web child: request failed', error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"error":"internal"}');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  process.stdout.write(`${JSON.stringify({ t: 'listening', port })}\n`);
}

main().catch((error: unknown) => {
  console.error('web child: could not start', error);
  process.exit(1);
});
