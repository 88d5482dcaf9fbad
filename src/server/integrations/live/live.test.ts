import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveBus, LiveMessage } from './live.port.ts';
import { createMemoryBus } from './memory.bus.ts';
import { createRedisBus } from './redis.bus.ts';

/** Collects what `bus` delivers on `topic` until `count` messages arrived (or fails after 5 s). */
async function collect(bus: LiveBus, topic: string, count: number, signal: AbortSignal): Promise<LiveMessage[]> {
  const got: LiveMessage[] = [];
  for await (const message of bus.subscribe(topic, signal)) {
    got.push(message);
    if (got.length === count) break;
  }
  return got;
}

const until = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function contract(name: string, make: () => LiveBus, skip = false) {
  describe.skipIf(skip)(`live bus contract: ${name}`, () => {
    let bus: LiveBus;
    beforeAll(() => {
      bus = make();
    });
    afterAll(() => bus.close());

    it('delivers messages on a topic to every subscriber of that topic only, in order', async () => {
      const topic = `t-${randomUUID()}`;
      const controller = new AbortController();
      const a = collect(bus, topic, 2, controller.signal);
      const b = collect(bus, topic, 2, controller.signal);
      const other = collect(bus, `${topic}-other`, 1, controller.signal);
      await until(100); // subscriptions are set up (Redis SUBSCRIBE round trip)
      await bus.publish(topic, { kind: 'one', at: '2026-12-06T00:00:00.000Z' });
      await bus.publish(topic, { kind: 'two', at: '2026-12-06T00:00:01.000Z' });
      expect((await a).map((m) => m.kind)).toEqual(['one', 'two']);
      expect((await b).map((m) => m.kind)).toEqual(['one', 'two']);
      controller.abort();
      expect(await other).toEqual([]); // nothing published there; abort ends it quietly
    });

    it('ends a subscription quietly when its signal aborts, and later messages reach only the living', async () => {
      const topic = `t-${randomUUID()}`;
      const gone = new AbortController();
      const alive = new AbortController();
      const first = collect(bus, topic, 5, gone.signal);
      const second = collect(bus, topic, 1, alive.signal);
      await until(100);
      gone.abort();
      expect(await first).toEqual([]);
      await bus.publish(topic, { kind: 'after', at: '2026-12-06T00:00:02.000Z' });
      expect((await second).map((m) => m.kind)).toEqual(['after']);
    });
  });
}

contract('memory', createMemoryBus);

// Skipped when no Redis is configured (REDIS_URL unset): the Redis adapter needs a real Redis server.
// CI sets REDIS_URL=redis://127.0.0.1:6379, so it runs there; locally run it with that variable set.
const redisUrl = process.env.REDIS_URL ?? '';
contract('redis', () => createRedisBus(redisUrl, { prefix: `bencao:test:${randomUUID()}:` }), !redisUrl);
