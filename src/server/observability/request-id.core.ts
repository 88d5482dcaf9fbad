/**
 * Request ids: an incoming `x-request-id` is kept when it is a sane token (1–128 characters of
 * letters, digits and `._:-`, so a proxy's or a client's id joins our logs), anything else is replaced
 * by a fresh one. Never trust it for more than correlating log lines.
 */
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isSaneRequestId(value: string | null | undefined): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value);
}

/** The caller's id when sane, else a new one from `generate`. */
export function requestIdFrom(header: string | null | undefined, generate: () => string = () => crypto.randomUUID()): string {
  return isSaneRequestId(header) ? header : generate();
}
