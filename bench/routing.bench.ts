/**
 * Prescription routing at national scale (DOMAIN.md: ~19,000 pharmacies, "routing must stay in
 * milliseconds"): `PharmacyIndex.rank` (kd-tree, built once) against `rankPharmaciesBruteForce`
 * (scan) on the same 10,000 prescriptions, in this process, plus a check that both return identical
 * answers on every query — also while stock and capacity change between queries (the index refreshed
 * per changed pharmacy).
 *
 * World (seeded, reproducible): 19,000 pharmacies around 50 Chinese city centres, weighted by size,
 * Gaussian spread per city (tier-1 cities wider), 8 % in the surrounding countryside, 2 % sharing the
 * exact coordinates of another pharmacy (same building: distance ties broken by id); stock for 30
 * common herbs. Patients live around the same cities; prescriptions list 4–14 herbs, 3–30 g per dose
 * (some half grams), 3–14 doses, 40 % ask for decoction (代煎).
 */
import { loadavg } from 'node:os';
import { haversineKm } from '../src/lib/geo.ts';
import {
  PharmacyIndex,
  rankPharmaciesBruteForce,
  type Candidate,
  type RoutablePharmacy,
  type RoutingRx,
} from '../src/server/domains/routing/routing.core.ts';
import { percentile, writeReport, type BenchRow } from './lib/report.ts';
import { prng } from './lib/prng.ts';

const PHARMACIES = 19_000;
const QUERIES = 10_000;
const LIVE_QUERIES = 1_000;
const WARMUP = 500;
const OPTIONS = { maxKm: 50, limit: 5 };

/** [name, lat, lng, weight (relative pharmacy count), spread σ in km]. */
const CITIES: ReadonlyArray<readonly [string, number, number, number, number]> = [
  ['北京', 39.9042, 116.4074, 10, 18], ['上海', 31.2304, 121.4737, 10, 18], ['广州', 23.1291, 113.2644, 8, 15],
  ['深圳', 22.5431, 114.0579, 8, 14], ['成都', 30.5728, 104.0668, 8, 15], ['重庆', 29.563, 106.5516, 8, 16],
  ['杭州', 30.2741, 120.1551, 6, 12], ['武汉', 30.5928, 114.3055, 6, 12], ['西安', 34.3416, 108.9398, 6, 12],
  ['天津', 39.3434, 117.3616, 6, 12], ['南京', 32.0603, 118.7969, 5, 11], ['苏州', 31.2989, 120.5853, 5, 11],
  ['郑州', 34.7466, 113.6254, 5, 11], ['长沙', 28.2282, 112.9388, 5, 10], ['沈阳', 41.8057, 123.4315, 4, 10],
  ['青岛', 36.0671, 120.3826, 4, 10], ['济南', 36.6512, 117.1201, 4, 10], ['哈尔滨', 45.8038, 126.535, 4, 10],
  ['大连', 38.914, 121.6147, 3, 9], ['昆明', 25.0389, 102.7183, 4, 10], ['厦门', 24.4798, 118.0894, 3, 8],
  ['福州', 26.0745, 119.2965, 3, 9], ['合肥', 31.8206, 117.2272, 4, 10], ['南昌', 28.682, 115.8579, 3, 9],
  ['石家庄', 38.0428, 114.5149, 3, 9], ['太原', 37.8706, 112.5489, 3, 9], ['长春', 43.8171, 125.3235, 3, 9],
  ['南宁', 22.817, 108.3665, 3, 9], ['贵阳', 26.647, 106.6302, 3, 9], ['兰州', 36.0611, 103.8343, 2, 8],
  ['乌鲁木齐', 43.8256, 87.6168, 2, 8], ['呼和浩特', 40.8414, 111.7519, 2, 8], ['银川', 38.4872, 106.2309, 1, 7],
  ['西宁', 36.6171, 101.7782, 1, 7], ['拉萨', 29.652, 91.1721, 1, 6], ['海口', 20.044, 110.1999, 2, 8],
  ['宁波', 29.8683, 121.544, 3, 9], ['无锡', 31.4912, 120.3119, 3, 8], ['佛山', 23.0215, 113.1214, 3, 9],
  ['东莞', 23.0207, 113.7518, 3, 9], ['温州', 27.9943, 120.6994, 2, 8], ['泉州', 24.8741, 118.6757, 2, 8],
  ['徐州', 34.2044, 117.2858, 2, 8], ['唐山', 39.6309, 118.1802, 2, 8], ['烟台', 37.4638, 121.4479, 2, 8],
  ['洛阳', 34.6197, 112.454, 2, 8], ['南通', 31.9802, 120.8943, 2, 8], ['保定', 38.8739, 115.4646, 2, 8],
  ['亳州', 33.8446, 115.7786, 2, 7], ['安国', 38.4189, 115.3267, 1, 5],
];

const HERBS = [
  '黄芪', '当归', '甘草', '白术', '茯苓', '党参', '川芎', '白芍', '熟地黄', '柴胡',
  '黄芩', '金银花', '连翘', '枸杞子', '丹参', '桂枝', '麻黄', '大黄', '半夏', '陈皮',
  '人参', '生姜', '大枣', '薄荷', '黄连', '山药', '麦冬', '五味子', '苦杏仁', '桔梗',
] as const;

function generateWorld(seed: number): { pharmacies: RoutablePharmacy[]; queries: RoutingRx[] } {
  const random = prng(seed);
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const totalWeight = CITIES.reduce((sum, c) => sum + c[3], 0);
  const pickCity = (): (typeof CITIES)[number] => {
    let r = random() * totalWeight;
    for (const city of CITIES) if ((r -= city[3]) < 0) return city;
    return CITIES[CITIES.length - 1]!;
  };
  const around = (sigmaKm: number): { lat: number; lng: number } => {
    const [, lat, lng] = pickCity();
    const dLat = (gaussian() * sigmaKm) / 111.2;
    const dLng = (gaussian() * sigmaKm) / (111.2 * Math.cos((lat * Math.PI) / 180));
    return { lat: lat + dLat, lng: lng + dLng };
  };

  const pharmacies: RoutablePharmacy[] = [];
  for (let i = 0; i < PHARMACIES; i++) {
    let at: { lat: number; lng: number };
    const previous = pharmacies[Math.floor(random() * pharmacies.length)];
    if (previous && random() < 0.02) at = { lat: previous.lat, lng: previous.lng };
    else {
      const city = pickCity();
      const sigma = random() < 0.08 ? 60 : city[4];
      at = {
        lat: city[1] + (gaussian() * sigma) / 111.2,
        lng: city[2] + (gaussian() * sigma) / (111.2 * Math.cos((city[1] * Math.PI) / 180)),
      };
    }
    const stockG: Record<string, number> = {};
    for (const herb of HERBS) if (random() < 0.93) stockG[herb] = Math.round(random() * random() * 8000 * 10) / 10;
    pharmacies.push({
      id: `ph${String(Math.floor(random() * 1e6)).padStart(6, '0')}-${i}`,
      lat: at.lat,
      lng: at.lng,
      open: random() < 0.9,
      decoction: random() < 0.45,
      capacityLeft: random() < 0.1 ? 0 : 1 + Math.floor(random() * 30),
      stockG,
    });
  }

  const queries: RoutingRx[] = [];
  for (let q = 0; q < QUERIES; q++) {
    const count = 4 + Math.floor(random() * 11);
    const herbs = [...HERBS].sort(() => random() - 0.5).slice(0, count);
    queries.push({
      items: herbs.map((herb) => ({ herb, grams: random() < 0.2 ? 1.5 + Math.floor(random() * 10) : 3 + Math.floor(random() * 28) })),
      doses: 3 + Math.floor(random() * 12),
      decoction: random() < 0.4,
      patient: around(15),
    });
  }
  return { pharmacies, queries };
}

interface Timing {
  /** Wall-clock µs per query, sorted. */
  micros: Float64Array;
  /** CPU µs (user + system, whole process) per query, sorted: robust to a busy machine. */
  cpuMicros: Float64Array;
  wallMs: number;
  cpuMs: number;
  results: Candidate[][];
}

function time(queries: readonly RoutingRx[], rank: (rx: RoutingRx) => Candidate[]): Timing {
  for (let i = 0; i < WARMUP; i++) rank(queries[i % queries.length]!);
  const micros = new Float64Array(queries.length);
  const cpuMicros = new Float64Array(queries.length);
  const results: Candidate[][] = [];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < queries.length; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const result = rank(queries[i]!);
    micros[i] = Number(process.hrtime.bigint() - t0) / 1000;
    const c1 = process.cpuUsage(c0);
    cpuMicros[i] = c1.user + c1.system;
    results.push(result);
  }
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuStart);
  micros.sort();
  cpuMicros.sort();
  return { micros, cpuMicros, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, results };
}

const same = (a: Candidate[] | undefined, b: Candidate[] | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

export default async function routingBench(): Promise<void> {
  const startedAt = process.hrtime.bigint();
  const loadBefore = loadavg()[0] ?? 0;
  const { pharmacies, queries } = generateWorld(20_240_601);

  const buildStart = process.hrtime.bigint();
  const index = new PharmacyIndex(pharmacies);
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;

  const brute = time(queries, (rx) => rankPharmaciesBruteForce(rx, pharmacies, OPTIONS));
  const indexed = time(queries, (rx) => index.rank(rx, OPTIONS));

  let mismatches = 0;
  let empty = 0;
  let returned = 0;
  for (let i = 0; i < queries.length; i++) {
    if (!same(brute.results[i], indexed.results[i])) mismatches++;
    const n = indexed.results[i]?.length ?? 0;
    returned += n;
    if (n === 0) empty++;
  }

  // Live state: each routed prescription is dispensed by its first candidate (capacity − 1, stock −
  // grams × doses), so open/capacity/stock change between queries; the index is never rebuilt, only
  // told which pharmacy changed (refresh).
  let liveMismatches = 0;
  for (let i = 0; i < LIVE_QUERIES; i++) {
    const rx = queries[i]!;
    const fromIndex = index.rank(rx, OPTIONS);
    if (!same(fromIndex, rankPharmaciesBruteForce(rx, pharmacies, OPTIONS))) liveMismatches++;
    const chosen = fromIndex[0] && pharmacies.find((p) => p.id === fromIndex[0]!.id);
    if (chosen) {
      chosen.capacityLeft -= 1;
      const stock = chosen.stockG as Record<string, number>;
      for (const item of rx.items) stock[item.herb] = Math.round(((stock[item.herb] ?? 0) - item.grams * rx.doses) * 1000) / 1000;
      if (i % 7 === 0) chosen.open = !chosen.open;
      index.refresh(chosen);
    }
  }

  const row = (name: string, t: Timing, build: number | null): BenchRow => ({
    variant: name,
    'build (ms)': build === null ? null : Number(build.toFixed(1)),
    'p50 (µs)': Number(percentile(t.micros, 50).toFixed(1)),
    'p99 (µs)': Number(percentile(t.micros, 99).toFixed(1)),
    'max (µs)': Number(percentile(t.micros, 100).toFixed(1)),
    'queries/s': Math.round((t.micros.length / t.wallMs) * 1000),
    'CPU p50 (µs)': percentile(t.cpuMicros, 50),
    'CPU p99 (µs)': percentile(t.cpuMicros, 99),
    'queries per CPU-s': Math.round((t.micros.length / t.cpuMs) * 1000),
  });

  const bruteQps = queries.length / brute.wallMs;
  const indexQps = queries.length / indexed.wallMs;
  const nearest = indexed.results.flatMap((r) => (r[0] ? [r[0].km] : [])).sort((a, b) => a - b);
  writeReport({
    name: 'routing',
    description:
      `rx-route: ${PHARMACIES.toLocaleString('en-US')} pharmacies around ${CITIES.length} Chinese cities, ` +
      `${QUERIES.toLocaleString('en-US')} prescriptions, maxKm ${OPTIONS.maxKm}, limit ${OPTIONS.limit}; ` +
      `PharmacyIndex (kdbush + geokdbush, built once) vs brute-force scan, same process, per-query ` +
      `wall-clock latency and per-query process CPU time (the CPU columns stay meaningful on a shared machine).`,
    rows: [row('brute force (scan)', brute, null), row('PharmacyIndex', indexed, buildMs)],
    ratios: {
      'index ÷ brute force (queries/s)': indexQps / bruteQps,
      'brute force ÷ index (p50 latency)': percentile(brute.micros, 50) / percentile(indexed.micros, 50),
      'brute force ÷ index (p99 latency)': percentile(brute.micros, 99) / percentile(indexed.micros, 99),
      'index ÷ brute force (queries per CPU-second)': brute.cpuMs / indexed.cpuMs,
      'brute force ÷ index (CPU p50)': percentile(brute.cpuMicros, 50) / percentile(indexed.cpuMicros, 50),
    },
    checks: {
      'identical results (static state)': `${queries.length - mismatches}/${queries.length}`,
      'identical results (live state, stock/capacity/open changing)': `${LIVE_QUERIES - liveMismatches}/${LIVE_QUERIES}`,
      'index p99 under 1 ms (wall / CPU)': `${percentile(indexed.micros, 99) < 1000} / ${percentile(indexed.cpuMicros, 99) < 1000}`,
      'queries with no eligible pharmacy': empty,
      'mean candidates per query': Number((returned / queries.length).toFixed(2)),
      'median km to the first candidate': Number(percentile(nearest, 50).toFixed(3)),
      'load average (1 min) before / after': `${loadBefore.toFixed(2)} / ${(loadavg()[0] ?? 0).toFixed(2)}`,
      'total bench time (s)': Number((Number(process.hrtime.bigint() - startedAt) / 1e9).toFixed(1)),
      'sanity: 北京–上海 km': Number(haversineKm({ lat: 39.9042, lng: 116.4074 }, { lat: 31.2304, lng: 121.4737 }).toFixed(3)),
    },
  });
  if (mismatches > 0 || liveMismatches > 0) throw new Error(`routing bench: index and brute force disagree on ${mismatches + liveMismatches} queries`);
}
