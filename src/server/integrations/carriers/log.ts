import { logger } from '../../observability/request-scope.ts';

/**
 * Structured log lines for refused and failed webhook deliveries and refused shipment reads, through
 * the process logger (JSON lines, `LOG_LEVEL`, request id, redaction). Unauthenticated refusals are
 * logged, not audited: anyone can post to a webhook, and the hash-chained audit log must not be
 * theirs to fill. Tests pass their own `LogFn` to collect the lines.
 */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export type LogFn = (level: LogLevel, message: string, fields: Record<string, unknown>) => void;

export function createLogger(): LogFn {
  return (level, message, fields) => logger()[level](fields, message);
}
