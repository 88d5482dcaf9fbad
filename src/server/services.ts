import { createAuth, type Auth } from './auth/auth.ts';
import type { DbHandle } from './db/client.ts';
import { getDb } from './db/connection.ts';
import { env } from './env.ts';

/**
 * The web process's services, created once: database, auth. Route handlers and server components
 * get them from here; domain code receives them as arguments.
 */
export interface Services {
  handle: DbHandle;
  auth: Auth;
}

const globalForServices = globalThis as unknown as { __bencaoServices?: Promise<Services> };

export function services(): Promise<Services> {
  globalForServices.__bencaoServices ??= (async () => {
    env();
    const handle = await getDb();
    return { handle, auth: createAuth(handle.db) };
  })();
  return globalForServices.__bencaoServices;
}
