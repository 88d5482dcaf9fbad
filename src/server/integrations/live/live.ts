import { env } from '../../env.ts';
import type { LiveBus, LiveMessage } from './live.port.ts';
import { createMemoryBus } from './memory.bus.ts';
import { createRedisBus } from './redis.bus.ts';

const globalForLive = globalThis as unknown as { __bencaoLiveBus?: LiveBus };

/** The process's live bus: Redis pub/sub when `REDIS_URL` is set, else in-process. */
export function liveBus(): LiveBus {
  if (!globalForLive.__bencaoLiveBus) {
    const url = env().REDIS_URL;
    globalForLive.__bencaoLiveBus = url ? createRedisBus(url) : createMemoryBus();
  }
  return globalForLive.__bencaoLiveBus;
}

/** Replaces the process's bus (tests); returns the previous one. */
export function setLiveBus(bus: LiveBus | undefined): LiveBus | undefined {
  const previous = globalForLive.__bencaoLiveBus;
  globalForLive.__bencaoLiveBus = bus;
  return previous;
}

/** The longest a stream lives without a caller's signal (a server-side caller); browsers reconnect. */
const STREAM_WITHOUT_SIGNAL_MS = 60 * 60 * 1000;

/** A subscription's stream of `topic`: until the request's signal aborts (the browser went away). */
export function liveStream(topic: string, signal: AbortSignal | undefined): AsyncIterable<LiveMessage> {
  return liveBus().subscribe(topic, signal ?? AbortSignal.timeout(STREAM_WITHOUT_SIGNAL_MS));
}
