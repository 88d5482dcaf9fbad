/**
 * Structured log lines (one JSON object per line on stderr) for refused and failed webhook
 * deliveries. Unauthenticated refusals are logged, not audited: anyone can post to a webhook, and the
 * hash-chained audit log must not be theirs to fill. `LOG_LEVEL` (default info) filters.
 */
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type LogLevel = (typeof LEVELS)[number];

export type LogFn = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

export function createLogger(minLevel?: string, write: (line: string) => void = (line) => process.stderr.write(line)): LogFn {
  const threshold = (name: string) => (name === 'silent' ? Number.POSITIVE_INFINITY : Math.max(0, LEVELS.indexOf(name as LogLevel)));
  return (level, message, fields) => {
    // Read at each call when not given, so a changed LOG_LEVEL applies.
    if (LEVELS.indexOf(level) < threshold(minLevel ?? process.env.LOG_LEVEL ?? 'info')) return;
    write(`${JSON.stringify({ level, time: new Date().toISOString(), msg: message, ...fields })}\n`);
  };
}
