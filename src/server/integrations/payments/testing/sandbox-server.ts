import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../../../db/client.ts';
import { SANDBOX_MOUNT_PATH, type PaymentsConfig } from '../payments.config.ts';
import { handleSandboxRequest } from '../sandbox/sandbox.http.ts';
import { sendFetchResponse, toFetchRequest } from '../../../testing/node-http.ts';

/**
 * A real HTTP server for tests: `node:http` on 127.0.0.1, port 0, mounting the sandbox at
 * `/api/payments-sandbox` like the app does, so the official SDK speaks real HTTP to the same
 * handler the Next route calls.
 */
export interface SandboxServer {
  /** `http://127.0.0.1:<port>/api/payments-sandbox` */
  apiBase: string;
  config: PaymentsConfig;
  /** Requests served so far (method + path), for assertions on what the SDK sent. */
  requests: { method: string; path: string; idempotencyKey: string | null }[];
  close(): Promise<void>;
}

export const TEST_SANDBOX_SECRET_KEY = 'sk_test_sandbox_contract_tests_0123456789';
export const TEST_WEBHOOK_SECRET = 'whsec_sandbox_contract_tests_0123456789abcdef';


export async function startSandboxServer(options: { db: Db; secretKey?: string; webhookSecret?: string; now?: () => Date }): Promise<SandboxServer> {
  const secretKey = options.secretKey ?? TEST_SANDBOX_SECRET_KEY;
  const requests: SandboxServer['requests'] = [];
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const request = await toFetchRequest(req);
        const url = new URL(request.url);
        requests.push({ method: request.method, path: url.pathname, idempotencyKey: request.headers.get('idempotency-key') });
        if (!url.pathname.startsWith(`${SANDBOX_MOUNT_PATH}/`)) {
          await sendFetchResponse(res, Response.json({ error: { type: 'invalid_request_error', message: 'not found' } }, { status: 404 }));
          return;
        }
        await sendFetchResponse(res, await handleSandboxRequest({ db: options.db, secretKey, now: options.now }, request));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const apiBase = `http://127.0.0.1:${port}${SANDBOX_MOUNT_PATH}`;
  return {
    apiBase,
    config: { kind: 'sandbox', secretKey, webhookSecret: options.webhookSecret ?? TEST_WEBHOOK_SECRET, apiBase },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
