import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('environment validation', () => {
  it('runs on embedded defaults with nothing set', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 3000, BENCAO_DATA_DIR: './.data', BENCAO_DEMO: '0', BENCAO_RUN_JOBS: '1' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', REDIS_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('stops with a message naming each wrong variable', () => {
    try {
      parseEnv({ DATABASE_URL: 'mysql://x', PORT: '70000', REDIS_URL: 'localhost:6379', STRIPE_SECRET_KEY: 'pk_live_x' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      const text = (error as EnvError).message;
      for (const name of ['DATABASE_URL', 'PORT', 'REDIS_URL', 'STRIPE_SECRET_KEY']) expect(text).toContain(name);
    }
  });

  it('requires an auth secret in production outside demo mode', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/BETTER_AUTH_SECRET/);
    expect(() => parseEnv({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'short' })).toThrow(/BETTER_AUTH_SECRET/);
    expect(parseEnv({ NODE_ENV: 'production', BENCAO_DEMO: '1' }).NODE_ENV).toBe('production');
    expect(parseEnv({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'x'.repeat(32) }).BETTER_AUTH_SECRET).toHaveLength(32);
  });
});
