import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { LiveBus, LiveMessage } from './live.port.ts';
import { messagesOn } from './memory.bus.ts';

const CHANNEL_PREFIX = 'bencao:live:';

/**
 * Redis pub/sub live bus: one publishing connection and one subscribing connection per process; a
 * channel is subscribed while at least one local listener wants it, and fanned out locally.
 */
export function createRedisBus(url: string, options: { prefix?: string } = {}): LiveBus {
  const prefix = options.prefix ?? CHANNEL_PREFIX;
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const local = new EventEmitter();
  local.setMaxListeners(0);
  const listeners = new Map<string, number>();

  subscriber.on('message', (channel: string, text: string) => {
    if (!channel.startsWith(prefix)) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(text) as LiveMessage;
    } catch {
      return; // not ours
    }
    local.emit(channel.slice(prefix.length), message);
  });

  async function* subscribe(topic: string, signal: AbortSignal): AsyncGenerator<LiveMessage> {
    const count = listeners.get(topic) ?? 0;
    listeners.set(topic, count + 1);
    if (count === 0) await subscriber.subscribe(prefix + topic);
    try {
      yield* messagesOn(local, topic, signal);
    } finally {
      const left = (listeners.get(topic) ?? 1) - 1;
      if (left > 0) listeners.set(topic, left);
      else {
        listeners.delete(topic);
        await subscriber.unsubscribe(prefix + topic).catch(() => undefined);
      }
    }
  }

  return {
    kind: 'redis',
    async publish(topic, message) {
      await publisher.publish(prefix + topic, JSON.stringify(message));
    },
    subscribe,
    async close() {
      local.removeAllListeners();
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
