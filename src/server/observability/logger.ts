import pino, { type Bindings, type DestinationStream, type LevelWithSilent, type LogFn, type Logger } from 'pino';
import { env } from '../env.ts';
import { redactText, redactValue } from './redact.core.ts';

export type { Logger } from 'pino';

/**
 * Structured logs: one JSON object per line on stdout (`level`, `time` in ISO-8601 UTC, `msg`, the
 * fields), the level from `LOG_LEVEL` (default info; silent under tests unless set). Every record and
 * child binding passes through `redactValue` (secret-named fields and secrets inside strings are
 * masked) before it is written, and the message through `redactText`. Code logs through `logger()`
 * (request-scope.ts), which carries the request id.
 */
export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Where the lines go; default stdout. */
  destination?: DestinationStream;
}

const stdout: DestinationStream = { write: (line: string) => process.stdout.write(line) };

export function createLogger(options: LoggerOptions = {}): Logger {
  const log = pino(
    {
      level: options.level ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors are already plain records (redactValue); pino's error serializer would retype them.
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redactValue(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, withRedactedMessage(args));
        },
      },
    },
    options.destination ?? stdout,
  );
  // Child bindings skip the formatters: redact them here (children inherit this `child`).
  const child = log.child;
  log.child = function redactedChild(this: Logger, bindings, childOptions) {
    return child.call(this, redactValue(bindings) as Bindings, childOptions);
  } as Logger['child'];
  return log;
}

/** The message arguments masked; an error logged without a message gets its (masked) message as one. */
function withRedactedMessage(args: Parameters<LogFn>): Parameters<LogFn> {
  const masked = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as Parameters<LogFn>;
  const [first, second] = masked;
  if (typeof first === 'object' && first !== null && typeof second !== 'string') {
    const error = first instanceof Error ? first : (first as { err?: unknown }).err;
    if (error instanceof Error) return [first, redactText(error.message), ...masked.slice(1)] as Parameters<LogFn>;
  }
  return masked;
}

/** `LOG_LEVEL`; unset under tests (NODE_ENV=test) the logs stay quiet: tests provoke failures on purpose. */
function levelFromEnv(): LevelWithSilent {
  try {
    const e = env();
    return process.env.LOG_LEVEL === undefined && e.NODE_ENV === 'test' ? 'silent' : e.LOG_LEVEL;
  } catch {
    // The environment is invalid: the process is about to say so (through this logger) and stop.
    return 'info';
  }
}

const globalForLog = globalThis as unknown as { __bencaoLogger?: Logger };

/** The process's root logger (created on first use). Prefer `logger()`, which adds the request's fields. */
export function rootLogger(): Logger {
  globalForLog.__bencaoLogger ??= createLogger({ level: levelFromEnv() });
  return globalForLog.__bencaoLogger;
}
