/**
 * The live-updates port: "something about topic X changed" from the process that committed the change
 * to every process holding a browser's server-sent-events stream on X.
 *
 * Messages are notifications, not data: a subscriber re-reads what it may see through the ordinary
 * (access-checked) query, so a message never carries anything a listener could not read anyway, and a
 * lost message costs only freshness (clients also refetch when they reconnect).
 *
 * Adapters: in-process (the embedded default: web and job runner are one process) and Redis pub/sub
 * (when `REDIS_URL` is set: BullMQ workers publish, web processes listen). Publishing goes through the
 * outbox job `live.publish`, so it happens after the change commits and survives a crash.
 */
export interface LiveMessage {
  /** What changed, e.g. `shipment.event`, `shipment.temperature_alert`. */
  readonly kind: string;
  /** When the change was committed (ISO 8601). */
  readonly at: string;
}

export interface LiveBus {
  /** `memory` or `redis`. */
  readonly kind: 'memory' | 'redis';
  publish(topic: string, message: LiveMessage): Promise<void>;
  /** Messages on `topic` from now on, until `signal` aborts (then the iterator ends without error). */
  subscribe(topic: string, signal: AbortSignal): AsyncIterable<LiveMessage>;
  close(): Promise<void>;
}

/** Topic names in one place, so publishers and subscribers cannot drift apart. */
export const liveTopics = {
  shipment: (id: string) => `shipment:${id}`,
  prescription: (id: string) => `prescription:${id}`,
  /** An instrument's book or trades changed (anyone signed in may read its depth and trades). */
  marketInstrument: (instrumentId: string) => `market:${instrumentId}`,
  /** One organisation's market orders or trades changed (its own orders page). */
  marketOrg: (orgId: string) => `market-org:${orgId}`,
} as const;
