import { createServer, type Server } from 'node:http';
import type { OpenDatabase } from './database.ts';
import type { SearchStatements } from './fixtures.ts';

/**
 * The floor under the search path: a node:http server in this process that answers `GET /search?i=n`
 * by sending search n's recorded statements (the ones the search service sends for it, same text and
 * parameters) one after another on the raw driver, and the rows as JSON. No Next, no tRPC, no session.
 */
export async function startRawSqlServer(open: OpenDatabase, searches: readonly SearchStatements[], port: number): Promise<{ close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const i = Number(new URL(req.url ?? '/', 'http://localhost').searchParams.get('i'));
    const statements = searches[i];
    if (!statements) {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      const rows: unknown[][] = [];
      for (const s of statements) rows.push(await open.query(s.text, s.params));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
