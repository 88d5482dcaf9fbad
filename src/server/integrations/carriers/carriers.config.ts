import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { CarrierCode } from './carriers.port.ts';

/**
 * Carrier webhook settings. Each carrier's signing secret comes from the environment
 * (`CARRIER_SF_SECRET`, `CARRIER_JD_SECRET`, `CARRIER_SIM_SECRET`, at least 16 characters); unset,
 * it is derived from BETTER_AUTH_SECRET (so a deployment never runs on a published key, and the
 * embedded demo needs no setup). `CARRIER_WEBHOOK_TOLERANCE_SECONDS` is the replay window (default
 * 300 s either side of now); `CARRIER_SIM_MINUTE_MS` is how long one simulated minute lasts (default
 * 1000 ms: a 100-minute delivery plays in 100 s). The simulated carrier is offered to shippers only
 * in demo mode (`BENCAO_DEMO=1`): `simulatedAvailable`.
 */
export interface CarriersConfig {
  secrets: Record<CarrierCode, string>;
  toleranceSeconds: number;
  simMinuteMs: number;
  /** Demo mode: shippers may hand parcels to the simulated carrier (演示承运商). */
  simulatedAvailable: boolean;
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const secret = z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional());

const carriersEnv = z.object({
  CARRIER_SF_SECRET: secret,
  CARRIER_JD_SECRET: secret,
  CARRIER_SIM_SECRET: secret,
  CARRIER_WEBHOOK_TOLERANCE_SECONDS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(30).max(3600).default(300)),
  CARRIER_SIM_MINUTE_MS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(600_000).default(1000)),
  BENCAO_DEMO: z.preprocess(emptyToUndefined, z.enum(['0', '1']).default('0')),
});

function derive(seed: string, carrier: CarrierCode): string {
  return `whc_${createHmac('sha256', seed).update(`bencao.carriers.${carrier}.webhook-secret`).digest('hex').slice(0, 40)}`;
}

/** Reads and validates the carrier variables; a wrong value throws naming the variable. */
export function resolveCarriersConfig(source: Record<string, string | undefined>, derivationSecret: string): CarriersConfig {
  const result = carriersEnv.safeParse(source);
  if (!result.success) {
    throw new Error(`Invalid environment:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const e = result.data;
  return {
    secrets: {
      sf: e.CARRIER_SF_SECRET ?? derive(derivationSecret, 'sf'),
      jd: e.CARRIER_JD_SECRET ?? derive(derivationSecret, 'jd'),
      sim: e.CARRIER_SIM_SECRET ?? derive(derivationSecret, 'sim'),
    },
    toleranceSeconds: e.CARRIER_WEBHOOK_TOLERANCE_SECONDS,
    simMinuteMs: e.CARRIER_SIM_MINUTE_MS,
    simulatedAvailable: e.BENCAO_DEMO === '1',
  };
}
