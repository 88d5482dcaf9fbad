import { EventEmitter, on } from 'node:events';
import type { LiveBus, LiveMessage } from './live.port.ts';

/** In-process live bus: one EventEmitter; topics are event names. */
export function createMemoryBus(): LiveBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0); // one listener per open browser stream
  return {
    kind: 'memory',
    async publish(topic, message) {
      emitter.emit(topic, message);
    },
    subscribe: (topic, signal) => messagesOn(emitter, topic, signal),
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/** Messages emitted as `topic` on `emitter` until `signal` aborts; ends quietly on abort. */
export async function* messagesOn(emitter: EventEmitter, topic: string, signal: AbortSignal): AsyncGenerator<LiveMessage> {
  try {
    for await (const [message] of on(emitter, topic, { signal })) yield message as LiveMessage;
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
