/** Times on the operator pages: stored UTC, shown in Asia/Shanghai as `2026-01-05 14:03:22`. */
const DATE_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

const DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

export function shanghaiDateTime(value: Date | string): string {
  return DATE_TIME.format(new Date(value));
}

export function shanghaiDate(value: Date | string): string {
  return DATE.format(new Date(value));
}

/** The message of a tRPC client error (already translated by the server), or null. */
export function errorMessage(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof Error) return error.message;
  return String(error);
}
