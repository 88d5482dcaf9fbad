import { z } from 'zod';

/**
 * Environment, validated once at start. Every variable is optional in the embedded default; a value
 * that is present but wrong stops the process with a message naming the variable.
 */
const urlLike = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.join(' or ')}//`);

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.preprocess(emptyToUndefined, urlLike(['http:', 'https:']).optional()),
  DATABASE_URL: z.preprocess(emptyToUndefined, urlLike(['postgres:', 'postgresql:']).optional()),
  BENCAO_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./.data')),
  REDIS_URL: z.preprocess(emptyToUndefined, urlLike(['redis:', 'rediss:']).optional()),
  MEILI_URL: z.preprocess(emptyToUndefined, urlLike(['http:', 'https:']).optional()),
  MEILI_KEY: z.preprocess(emptyToUndefined, z.string().optional()),
  STRIPE_SECRET_KEY: z.preprocess(emptyToUndefined, z.string().startsWith('sk_', 'must start with sk_').optional()),
  BETTER_AUTH_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  BENCAO_DEMO: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('0')),
  BENCAO_RUN_JOBS: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('1')),
  /** `1` → the load benchmark's bare route handlers under /api/bench answer (else 404); never set in a deployment. */
  BENCAO_BENCH_ROUTES: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('0')),
  /**
   * How long (ms) a web process answers a repeated market search from memory (0: never). Search results
   * are already eventually consistent (documents are indexed by a job); price, stock and licences are
   * checked again when a buyer adds to cart and checks out.
   */
  SEARCH_CACHE_TTL_MS: z.preprocess(emptyToUndefined, z.coerce.number<number>().int().min(0).max(60_000).default(1_000)),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Traces: `otlp` (OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT), `console` (spans on stdout) or `none` (default: the no-op API). */
  OTEL_TRACES_EXPORTER: z.preprocess(emptyToUndefined, z.enum(['otlp', 'console', 'none']).default('none')),
  /** The collector's base URL (`/v1/traces` is appended); read by the OTLP exporter, default http://localhost:4318. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyToUndefined, urlLike(['http:', 'https:']).optional()),
  /** `service.name` of the spans; default `bencao-web` for the web process, `bencao-worker` for workers. */
  OTEL_SERVICE_NAME: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const env = result.data;
  if (env.NODE_ENV === 'production' && env.BENCAO_DEMO !== '1' && !env.BETTER_AUTH_SECRET) {
    throw new EnvError(['BETTER_AUTH_SECRET: required in production (32+ random characters)']);
  }
  return env;
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For tests that change process.env. */
export function resetEnvCache(): void {
  cached = undefined;
}

export function appUrl(): string {
  const e = env();
  return e.APP_URL ?? `http://localhost:${e.PORT}`;
}

export function isDemoMode(): boolean {
  return env().BENCAO_DEMO === '1';
}

/** Whether the load benchmark's bare route handlers (/api/bench/…) answer. */
export function benchRoutesEnabled(): boolean {
  return env().BENCAO_BENCH_ROUTES === '1';
}

/** A fixed development secret, used only when BETTER_AUTH_SECRET is unset outside production. */
export function authSecret(): string {
  return env().BETTER_AUTH_SECRET ?? 'bencao-embedded-development-secret-not-for-production';
}
