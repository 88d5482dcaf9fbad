/**
 * A fixed-window counter of refused requests per client address: after `max` refusals within
 * `windowMs`, the address is turned away until the window ends. Only refusals count, so a carrier or
 * payment provider pushing many valid deliveries is never slowed; someone guessing signatures is.
 * Pure (the clock is passed in); one instance per process and endpoint family.
 */
export interface RefusalLimiter {
  /** Milliseconds until `key` may try again, or 0 when it is not blocked. */
  retryAfterMs(key: string, nowMs: number): number;
  /** Counts one refusal for `key`. */
  record(key: string, nowMs: number): void;
}

export function createRefusalLimiter(options: { max: number; windowMs: number; maxKeys?: number }): RefusalLimiter {
  const windows = new Map<string, { startMs: number; count: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  return {
    retryAfterMs(key, nowMs) {
      const w = windows.get(key);
      if (!w || nowMs - w.startMs >= options.windowMs) return 0;
      return w.count >= options.max ? options.windowMs - (nowMs - w.startMs) : 0;
    },
    record(key, nowMs) {
      const w = windows.get(key);
      if (!w || nowMs - w.startMs >= options.windowMs) {
        // Forget the oldest address first when too many are tracked (a spray of addresses cannot grow memory without bound).
        if (!w && windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        windows.set(key, { startMs: nowMs, count: 1 });
        return;
      }
      w.count += 1;
    },
  };
}

/**
 * The client address a request came from, as the proxy in front of the app reports it; null when no
 * proxy said (then every sender would share one bucket, and a stranger's refusals could lock out a
 * carrier: such requests are not limited).
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get('x-forwarded-for');
  if (forwarded) return forwarded.split(',')[0]!.trim() || null;
  return headers.get('x-real-ip') ?? null;
}
