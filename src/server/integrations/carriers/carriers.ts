import { authSecret } from '../../env.ts';
import { resolveCarriersConfig, type CarriersConfig } from './carriers.config.ts';
import { isCarrierCode, type CarrierAdapter, type CarrierCode } from './carriers.port.ts';
import { createJdAdapter } from './jd.adapter.ts';
import { createSfAdapter } from './sf.adapter.ts';
import { createSimulatedAdapter } from './simulated.adapter.ts';

/** The carriers the platform takes webhooks from, by code. */
export interface Carriers {
  get(code: string): CarrierAdapter | null;
  readonly codes: readonly CarrierCode[];
  readonly config: CarriersConfig;
}

export function createCarriers(config: CarriersConfig): Carriers {
  const options = (code: CarrierCode) => ({ secret: config.secrets[code], toleranceSeconds: config.toleranceSeconds });
  const adapters: Record<CarrierCode, CarrierAdapter> = {
    sf: createSfAdapter(options('sf')),
    jd: createJdAdapter(options('jd')),
    sim: createSimulatedAdapter(options('sim')),
  };
  return {
    get: (code) => (isCarrierCode(code) ? adapters[code] : null),
    codes: Object.keys(adapters) as CarrierCode[],
    config,
  };
}

const globalForCarriers = globalThis as unknown as { __bencaoCarriers?: Carriers };

/** The process's carriers (configured once from the environment). */
export function appCarriers(): Carriers {
  globalForCarriers.__bencaoCarriers ??= createCarriers(resolveCarriersConfig(process.env, authSecret()));
  return globalForCarriers.__bencaoCarriers;
}
