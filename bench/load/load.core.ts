/**
 * Pure helpers of the load benchmark: one autocannon result → one table row, the ratios between the
 * paths of one kind of work, and the targets of the issue.
 */

export const LOAD_KINDS = ['search', 'order placement', 'prescription submission'] as const;
export type LoadKind = (typeof LOAD_KINDS)[number];

/** The kinds a run measures: all, or those named in a comma-separated list (BENCH_LOAD_KINDS); an unknown name throws. */
export function loadKindsFromEnv(raw: string | undefined): LoadKind[] {
  if (raw === undefined || raw.trim() === '') return [...LOAD_KINDS];
  const names = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    if (!(LOAD_KINDS as readonly string[]).includes(name)) throw new Error(`BENCH_LOAD_KINDS: unknown kind "${name}" (known: ${LOAD_KINDS.join(', ')})`);
  }
  return LOAD_KINDS.filter((kind) => names.includes(kind));
}

/**
 * tRPC through the Next server; a bare Next route handler calling the same service; raw SQL from
 * node:http; the Next floor: a route handler answering a fixed body (no session, no database); tRPC on
 * node:http: the same tRPC route handler served by a bare node:http server instead of Next's router.
 */
export const LOAD_PATHS = ['tRPC', 'bare route', 'raw SQL', 'Next floor', 'tRPC on node:http'] as const;
export type LoadPath = (typeof LOAD_PATHS)[number];

/** The figures of an autocannon result this benchmark reads. */
export interface AutocannonFigures {
  duration: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

export interface LoadRow {
  kind: LoadKind;
  path: LoadPath;
  'req/s': number;
  /** Operations a second: an order is two requests (add to cart, check out), the others one. */
  'ops/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'non-2xx': number;
  errors: number;
  requests: number;
  /** CPU time of the server process per request (null: not measured); steadier than req/s on a busy machine. */
  'server CPU ms/req': number | null;
}

/** A row from an autocannon result; `serverCpuSeconds`: the server process's CPU time over the measured run. */
export function loadRow(kind: LoadKind, path: LoadPath, result: AutocannonFigures, requestsPerOp = 1, serverCpuSeconds: number | null = null): LoadRow {
  const perSecond = result.duration > 0 ? result.requests.total / result.duration : 0;
  return {
    kind,
    path,
    'req/s': round(perSecond, 1),
    'ops/s': round(perSecond / requestsPerOp, 1),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'non-2xx': result.non2xx,
    errors: result.errors,
    requests: result.requests.total,
    'server CPU ms/req': serverCpuSeconds === null || result.requests.total === 0 ? null : round((serverCpuSeconds * 1000) / result.requests.total, 3),
  };
}

/** Clock ticks a second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** utime + stime in seconds from a /proc/<pid>/stat line (fields 14 and 15; the command name may hold spaces). */
export function procStatCpuSeconds(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * tRPC ÷ bare route for every kind measured on both, and tRPC ÷ raw SQL where raw SQL was measured
 * (req/s); tRPC ÷ bare also in requests per server CPU second (the bare route's CPU per request ÷
 * tRPC's), which other work on the machine disturbs less.
 */
export function loadRatios(rows: readonly LoadRow[]): Record<string, number> {
  const ratios: Record<string, number> = {};
  const find = (kind: LoadKind, path: LoadPath) => rows.find((r) => r.kind === kind && r.path === path);
  for (const kind of LOAD_KINDS) {
    const trpc = find(kind, 'tRPC');
    if (!trpc) continue;
    for (const base of ['bare route', 'raw SQL', 'Next floor'] as const) {
      const other = find(kind, base);
      if (other && other['req/s'] > 0) ratios[`${kind}: tRPC ÷ ${base} (req/s)`] = trpc['req/s'] / other['req/s'];
    }
    const bypass = find(kind, 'tRPC on node:http');
    if (bypass && trpc['req/s'] > 0) ratios[`${kind}: tRPC on node:http ÷ tRPC through Next (req/s)`] = bypass['req/s'] / trpc['req/s'];
    const bareCpu = find(kind, 'bare route')?.['server CPU ms/req'] ?? null;
    const trpcCpu = trpc['server CPU ms/req'];
    if (bareCpu !== null && trpcCpu !== null && trpcCpu > 0) ratios[`${kind}: tRPC ÷ bare route (requests per server CPU second)`] = bareCpu / trpcCpu;
  }
  return ratios;
}

/** The targets: search ≥ 1,500 req/s with p99 ≤ 50 ms over tRPC; tRPC ÷ bare ≥ 0.6 for every kind. */
export const LOAD_TARGETS = { searchReqPerSecond: 1_500, searchP99Ms: 50, trpcOverBare: 0.6 } as const;

export function loadTargetChecks(rows: readonly LoadRow[], ratios: Readonly<Record<string, number>>): Record<string, boolean> {
  const checks: Record<string, boolean> = {};
  const search = rows.find((r) => r.kind === 'search' && r.path === 'tRPC');
  if (search) {
    checks[`search over tRPC ≥ ${LOAD_TARGETS.searchReqPerSecond.toLocaleString('en-US')} req/s`] = search['req/s'] >= LOAD_TARGETS.searchReqPerSecond;
    checks[`search over tRPC p99 ≤ ${LOAD_TARGETS.searchP99Ms} ms`] = search['p99 ms'] <= LOAD_TARGETS.searchP99Ms;
  }
  const bypass = rows.find((r) => r.kind === 'search' && r.path === 'tRPC on node:http');
  if (bypass) {
    checks[`search over tRPC on node:http ≥ ${LOAD_TARGETS.searchReqPerSecond.toLocaleString('en-US')} req/s`] = bypass['req/s'] >= LOAD_TARGETS.searchReqPerSecond;
    checks[`search over tRPC on node:http p99 ≤ ${LOAD_TARGETS.searchP99Ms} ms`] = bypass['p99 ms'] <= LOAD_TARGETS.searchP99Ms;
  }
  for (const kind of LOAD_KINDS) {
    const ratio = ratios[`${kind}: tRPC ÷ bare route (req/s)`];
    if (ratio !== undefined) checks[`${kind}: tRPC ÷ bare ≥ ${LOAD_TARGETS.trpcOverBare}`] = ratio >= LOAD_TARGETS.trpcOverBare;
    const perCpu = ratios[`${kind}: tRPC ÷ bare route (requests per server CPU second)`];
    if (perCpu !== undefined) checks[`${kind}: tRPC ÷ bare ≥ ${LOAD_TARGETS.trpcOverBare} per server CPU second`] = perCpu >= LOAD_TARGETS.trpcOverBare;
  }
  for (const row of rows) {
    checks[`${row.kind} over ${row.path}: every answer 2xx`] = row['non-2xx'] === 0 && row.errors === 0;
  }
  return checks;
}

/**
 * A browser's cookie jar in one line: the Cookie header after an answer's Set-Cookie values (a
 * refreshed session cookie cache, say) — each replaces the cookie of its name, a `Max-Age=0` or past
 * `Expires` removes it. Attributes other than those are ignored (one site, one path).
 */
export function cookieHeaderAfter(cookieHeader: string, setCookies: readonly string[], now = Date.now()): string {
  const jar = new Map<string, string>();
  for (const pair of cookieHeader.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    const expired = attributes.some((a) => {
      const [key = '', value = ''] = a.split('=').map((x) => x.trim());
      if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(value) <= now;
      return false;
    });
    if (expired) jar.delete(name);
    else jar.set(name, pair.slice(at + 1).trim());
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** The Set-Cookie values of an answer's headers as autocannon gives them (a name may hold one value or several). */
export function setCookiesOf(headers: Readonly<Record<string, string | string[] | undefined>>): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'set-cookie' || value === undefined) continue;
    out.push(...(Array.isArray(value) ? value : [value]));
  }
  return out;
}
