import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
export { deleteRedisKeys } from './node-http.ts';

/**
 * Pieces of the crash-safety harness (src/server/crash-safety.test.ts): real child processes that can
 * be SIGKILLed and restarted, a round-robin TCP balancer in front of the web replicas, a tRPC-over-HTTP
 * client that resends unanswered requests.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));


export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `cond` came true within `timeoutMs`, asked every `everyMs`. */
export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, everyMs = 150): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}


export interface ChildLine {
  t: string;
  [key: string]: unknown;
}

export interface ChildEntry {
  args: string[];
  /** Through tsx, for when the bundle does not load. */
  fallback: string[];
  /**
   * Spawned only when the slot starts (no standby handshake), and serving once its port answers
   * `/api/health` with 200: the production server, `next start`.
   */
  direct?: boolean;
}

export interface ChildEntries {
  web: ChildEntry;
  worker: ChildEntry;
  /** Removes the bundles. */
  cleanup(): void;
}

/**
 * The children's `node` arguments. The two entries are bundled once per run with esbuild (the compiler
 * tsx itself runs on; packages stay external, so the application code is exactly the source's) into
 * `node_modules/.cache`, where their imports resolve: a process then starts by loading one file, which
 * takes half the CPU of `node --import tsx` compiling and resolving the app module by module — it
 * matters on two cores with a dozen restarts. Without esbuild, or when a bundle does not load, the
 * children run through tsx.
 */
export async function childEntries(tag: string): Promise<ChildEntries> {
  const sources = { web: fileURLToPath(new URL('./crash-web.child.ts', import.meta.url)), worker: fileURLToPath(new URL('./crash-worker.child.ts', import.meta.url)) };
  const tsx = { web: ['--import', 'tsx', sources.web], worker: ['--import', 'tsx', sources.worker] };
  const outdir = path.join(ROOT, 'node_modules', '.cache', tag);
  try {
    const { build } = await import('esbuild');
    await build({
      entryPoints: sources,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node}`,
      packages: 'external',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      outdir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
    return {
      web: { args: [path.join(outdir, 'web.mjs')], fallback: tsx.web },
      worker: { args: [path.join(outdir, 'worker.mjs')], fallback: tsx.worker },
      cleanup: () => rmSync(outdir, { recursive: true, force: true }),
    };
  } catch {
    rmSync(outdir, { recursive: true, force: true });
    return { web: { args: tsx.web, fallback: tsx.web }, worker: { args: tsx.worker, fallback: tsx.worker }, cleanup: () => undefined };
  }
}

/**
 * The web replica as production runs it: `next start` serving the production build in `.next` (the
 * e2e stage's `npm run demo` leaves one; `npx next build` makes one). Its PORT comes from the slot's
 * environment. It has no standby handshake, so a restart pays Next's whole boot (about 1.3 s here).
 */
export function nextStartEntry(): ChildEntry {
  if (!existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('CRASH_WEB=next runs `next start` on the production build, and there is none: run `npx next build` first (`npm test` runs this test after its e2e stage, which builds)');
  }
  const args = [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '-H', '127.0.0.1'];
  return { args, fallback: args, direct: true };
}

/** Whether a web process on `port` answers its health check. */
async function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/api/health', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** One spawned process: a standby until told to go (crash-standby.ts), then the slot's live process. */
class Incarnation {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  /** Resolves once the modules are loaded (`{"t":"loaded"}`); rejects if it dies first. */
  readonly loaded: Promise<void>;
  private readyWaiter: { resolve: () => void; reject: (error: Error) => void } | null = null;
  /** Deliveries whose handler started and has not ended (worker): outbox id → job name. */
  readonly running = new Map<string, string>();
  private isReady = false;
  dead = false;

  constructor(
    private readonly slot: ManagedChild,
    args: readonly string[],
    env: Record<string, string>,
  ) {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let loadedResolve!: () => void;
    let loadedReject!: (error: Error) => void;
    this.loaded = new Promise<void>((resolve, reject) => {
      loadedResolve = resolve;
      loadedReject = reject;
    });
    this.loaded.catch(() => undefined);
    let buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      let at: number;
      while ((at = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, at).trim();
        buffered = buffered.slice(at + 1);
        if (!text.startsWith('{')) continue;
        let line: ChildLine;
        try {
          line = JSON.parse(text) as ChildLine;
        } catch {
          continue;
        }
        if (line.t === 'loaded') loadedResolve();
        else if (line.t === 'answering') slot.answering(String(line.path));
        else if (line.t === 'run') this.running.set(String(line.eventId), String(line.job));
        else if (line.t === 'ran') this.running.delete(String(line.eventId));
        else if (!this.isReady && (line.t === 'listening' || line.t === 'ready')) {
          this.isReady = true;
          this.readyWaiter?.resolve();
        } else if (!('level' in line)) slot.lines.push({ ...line, child: slot.name });
        // Log lines: only errors are kept (the test names them when a request failed with a 5xx).
        else if (line.level === 'error' || line.level === 'fatal' || (typeof line.level === 'number' && line.level >= 50)) slot.lines.push({ ...line, t: 'log', child: slot.name });
      }
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      slot.stderrTail = (slot.stderrTail + chunk).slice(-20_000);
    });
    child.once('exit', (code, signal) => {
      this.dead = true;
      const error = new Error(`${slot.name} exited (code ${code}, signal ${signal}): ${slot.stderrTail.slice(-2000)}`);
      loadedReject(error);
      if (!this.isReady) this.readyWaiter?.reject(error);
      slot.exitedIncarnation(this);
    });
  }

  /** Resolves once `probe` says the process serves (a direct entry's start); rejects if it dies or `timeoutMs` passes first. */
  async serving(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.dead) throw new Error(`${this.slot.name} exited while starting: ${this.slot.stderrTail.slice(-2000)}`);
      if (await probe()) return;
      if (Date.now() > deadline) throw new Error(`${this.slot.name} did not start within ${timeoutMs} ms: ${this.slot.stderrTail.slice(-2000)}`);
      await sleep(100);
    }
  }

  /** Tells the standby to take over and resolves once it serves. */
  go(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.slot.name} did not start within ${timeoutMs} ms: ${this.slot.stderrTail.slice(-2000)}`)), timeoutMs);
      this.readyWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (this.dead) this.readyWaiter.reject(new Error(`${this.slot.name} died as a standby: ${this.slot.stderrTail.slice(-2000)}`));
      else this.child.stdin!.write('go\n');
    });
  }
}

/**
 * One process slot (a web replica or a worker). Its processes are spawned ahead of time as standbys
 * (modules loaded, waiting); `start()` hands the slot to the standby — a fresh process, which then
 * opens its connections and serves — and spawns the next standby. `kill()` is SIGKILL.
 */
export class ManagedChild {
  private live: Incarnation | null = null;
  private standby: Incarnation | null = null;
  up = false;
  starts = 0;
  kills = 0;
  /** How long each start took from `go` to serving, in ms. */
  readonly startMs: number[] = [];
  /** Every JSON line any incarnation printed (besides the handshake and log lines). */
  readonly lines: ChildLine[] = [];
  stderrTail = '';

  private args: readonly string[];
  private stopped = false;

  constructor(
    readonly name: string,
    /** The child's `node` arguments (see `childEntries`). */
    private readonly entry: ChildEntry,
    private readonly env: Record<string, string>,
    /** The web replica's port (null for a worker). */
    readonly port: number | null = null,
  ) {
    this.args = entry.args;
  }

  /** Spawns a standby if the slot has none (it loads in the background); a direct entry has none. */
  warm(): void {
    if (this.stopped || this.entry.direct) return;
    if (!this.standby || this.standby.dead) this.standby = new Incarnation(this, this.args, this.env);
  }

  exitedIncarnation(incarnation: Incarnation): void {
    if (this.live === incarnation) {
      this.up = false;
      this.live = null;
    }
    if (this.standby === incarnation) this.standby = null;
  }

  /** Hands the slot to a fresh process (the standby, once loaded) and resolves once it serves. */
  async start(timeoutMs = 90_000): Promise<void> {
    if (this.stopped) throw new Error(`${this.name} was stopped`);
    if (this.entry.direct) return this.startDirect(timeoutMs);
    this.warm();
    let next = this.standby!;
    this.standby = null;
    try {
      await next.loaded;
    } catch (error) {
      if (this.args === this.entry.fallback) throw error;
      // The bundle does not load (an import it cannot serve): run the source through tsx from now on.
      this.args = this.entry.fallback;
      next = new Incarnation(this, this.args, this.env);
      await next.loaded;
    }
    if (this.stopped) {
      next.child.kill('SIGKILL');
      throw new Error(`${this.name} was stopped`);
    }
    const t0 = Date.now();
    this.live = next;
    this.starts += 1;
    await next.go(timeoutMs);
    this.startMs.push(Date.now() - t0);
    this.up = !next.dead;
    this.warm();
  }

  /** A direct entry: a new process, serving once its health check answers. */
  private async startDirect(timeoutMs: number): Promise<void> {
    const port = this.port;
    if (port === null) throw new Error(`${this.name}: a directly started process must serve a port`);
    const next = new Incarnation(this, this.args, this.env);
    const t0 = Date.now();
    this.live = next;
    this.starts += 1;
    await next.serving(() => healthy(port), timeoutMs);
    this.startMs.push(Date.now() - t0);
    this.up = !next.dead;
  }

  private answerWaiters: ((path: string) => void)[] = [];

  answering(path: string): void {
    const waiters = this.answerWaiters;
    this.answerWaiters = [];
    for (const w of waiters) w(path);
  }

  /**
   * Resolves with the request path when the live web process next holds an answer it has not written
   * yet (its transaction committed), or null after `timeoutMs`.
   */
  nextAnswer(timeoutMs: number): Promise<string | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.answerWaiters = this.answerWaiters.filter((w) => w !== done);
        resolve(null);
      }, timeoutMs);
      const done = (path: string) => {
        clearTimeout(timer);
        resolve(path);
      };
      this.answerWaiters.push(done);
    });
  }

  /** The job handlers the live process is running (a worker's), by job name. */
  runningJobs(): string[] {
    return [...(this.live?.running.values() ?? [])];
  }

  /** SIGKILL to the live process, and waits for its exit. */
  async kill(): Promise<void> {
    const live = this.live;
    if (!live || live.dead) return;
    this.up = false;
    this.kills += 1;
    live.child.kill('SIGKILL');
    await live.exited;
  }

  /** Ends the live process and the standby at the end of the test (not counted as kills). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.up = false;
    for (const inc of [this.live, this.standby]) {
      if (inc && !inc.dead) {
        inc.child.kill('SIGKILL');
        await inc.exited;
      }
    }
  }
}

/**
 * A round-robin TCP balancer in front of the web replicas (as a load balancer in front of N stateless
 * web processes): each connection goes to the next replica that accepts it. When a replica dies, its
 * client connections are cut, as a client of a real load balancer sees it. It notes each connection's
 * request line, so a kill can report which requests it cut.
 */
export interface Balancer {
  port: number;
  /** Request lines (`POST /api/trpc/orders.checkout`) still open on the replica at `port`. */
  inFlight(port: number): string[];
  close(): Promise<void>;
}

export interface BalancerOptions {
  /**
   * Up to this long (20–100 % of it, at random) an answer's first bytes wait in the balancer before
   * they go on to the client, and the replica is told (`answering`) when such a wait starts: a reply
   * still on the wire, for replicas that cannot delay their own answers (`next start`). If the replica
   * is killed during the wait, the answer is dropped and the connection cut, as if it had never been
   * written. 0 (the default): answers pass straight through.
   */
  answerDelayMs?: number;
}

/** `/api/trpc/orders.checkout` of a request line `POST /api/trpc/orders.checkout?… HTTP/1.1`. */
function requestPath(line: string): string {
  return (line.split(' ')[1] ?? '').replace(/\?.*$/, '');
}

export async function startBalancer(backends: readonly ManagedChild[], options: BalancerOptions = {}): Promise<Balancer> {
  const answerDelayMs = options.answerDelayMs ?? 0;
  const open = new Map<Socket, { port: number; line: string }>();
  const clients = new Set<Socket>();
  let next = 0;
  /**
   * Answers go on to the client only after a wait (see `answerDelayMs`), and never from a replica killed
   * meanwhile; answers whether a wait is under way (the connection's end is then the wait's to decide).
   */
  const holdAnswers = (backend: ManagedChild, upstream: Socket, client: Socket, entry: { line: string }): (() => boolean) => {
    let state: 'before' | 'holding' | 'passing' = 'before';
    const held: Buffer[] = [];
    let ended = false;
    upstream.on('data', (chunk: Buffer) => {
      if (state === 'passing') {
        client.write(chunk);
        return;
      }
      held.push(chunk);
      if (state === 'holding') return;
      state = 'holding';
      const killsBefore = backend.kills;
      backend.answering(requestPath(entry.line));
      setTimeout(() => {
        if (backend.kills !== killsBefore) {
          client.destroy();
          return;
        }
        state = 'passing';
        for (const c of held.splice(0)) client.write(c);
        if (ended) client.end();
      }, Math.floor(answerDelayMs * (0.2 + 0.8 * Math.random())));
    });
    upstream.on('end', () => {
      ended = true;
      if (state !== 'holding') client.end();
    });
    return () => state === 'holding';
  };
  const server: Server = createServer((client) => {
    client.pause();
    clients.add(client);
    client.on('close', () => clients.delete(client));
    const candidates = backends.filter((b) => b.up && b.port !== null);
    const tryAt = (i: number) => {
      if (i >= candidates.length) {
        client.destroy();
        return;
      }
      const backend = candidates[(next + i) % candidates.length]!;
      const upstream = connect(backend.port!, '127.0.0.1');
      upstream.once('error', () => {
        if (!open.has(upstream)) tryAt(i + 1);
        else client.destroy();
      });
      upstream.once('connect', () => {
        next += 1;
        const entry = { port: backend.port!, line: '' };
        open.set(upstream, entry);
        client.once('data', (chunk: Buffer) => {
          entry.line = chunk.toString('latin1', 0, Math.min(chunk.length, 200)).split('\r\n')[0] ?? '';
        });
        client.pipe(upstream);
        let holding = () => false;
        if (answerDelayMs > 0) holding = holdAnswers(backend, upstream, client, entry);
        else upstream.pipe(client);
        client.resume();
        upstream.on('close', () => {
          open.delete(upstream);
          // A held answer decides for itself when its wait ends.
          if (!holding()) client.destroy();
        });
        client.on('close', () => upstream.destroy());
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => {
          if (!holding()) client.destroy();
        });
      });
    };
    tryAt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    inFlight: (backendPort) => [...open.values()].filter((e) => e.port === backendPort).map((e) => e.line.replace(/ HTTP\/1\.1$/, '').replace(/\?.*$/, '')),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of [...open.keys(), ...clients]) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------------
// The client

export type CallResult<T = unknown> =
  | { ok: true; data: T; attempts: number }
  | { ok: false; code: string; appCode: string | null; message: string; httpStatus: number; attempts: number }
  | { ok: false; code: 'UNANSWERED'; appCode: null; message: string; httpStatus: 0; attempts: number };

export interface ClientStats {
  /** Logical requests (a resend of the same request is not a new one). */
  requests: number;
  /** Answered with a result. */
  acknowledged: number;
  /** Answered with an error (a domain refusal). */
  refused: number;
  /** Sends after the first (the connection was cut, refused or timed out). */
  resends: number;
  /** Never answered before the client gave up. */
  unanswered: number;
  /** 5xx answers (never expected: a killed process cuts the connection instead). */
  serverErrors: string[];
}

/**
 * A tRPC client over plain HTTP (one connection a request, no keep-alive, so every request is balanced
 * anew). A request whose connection is cut, refused or times out is resent unchanged — same input,
 * same idempotency key — until it is answered, as a client's retry does.
 */
export class TrpcClient {
  readonly stats: ClientStats = { requests: 0, acknowledged: 0, refused: 0, resends: 0, unanswered: 0, serverErrors: [] };

  constructor(
    private readonly port: number,
    /** No resend starts after this instant (the run's hard limit). */
    private readonly giveUpAt: () => number,
  ) {}

  private once(path: string, input: unknown, headers: Headers, kind: 'query' | 'mutation', timeoutMs: number): Promise<{ status: number; body: string }> {
    const body = kind === 'mutation' ? JSON.stringify(input ?? {}) : undefined;
    const query = kind === 'query' ? `?input=${encodeURIComponent(JSON.stringify(input ?? {}))}` : '';
    const outgoing: Record<string, string> = { 'content-type': 'application/json', connection: 'close' };
    headers.forEach((value, name) => {
      outgoing[name] = value;
    });
    if (body !== undefined) outgoing['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: this.port, path: `/api/trpc/${path}${query}`, method: kind === 'mutation' ? 'POST' : 'GET', headers: outgoing, agent: false, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('response aborted')));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  }

  async call<T = unknown>(path: string, input: unknown, headers: Headers, kind: 'query' | 'mutation' = 'mutation'): Promise<CallResult<T>> {
    this.stats.requests += 1;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      if (attempts > 1) this.stats.resends += 1;
      try {
        const res = await this.once(path, input, headers, kind, 20_000);
        let parsed: { result?: { data?: T }; error?: { message?: string; data?: { code?: string; appCode?: string | null; httpStatus?: number } } };
        try {
          parsed = JSON.parse(res.body) as typeof parsed;
        } catch {
          throw new Error(`unparsable answer (${res.status}): ${res.body.slice(0, 200)}`);
        }
        if (res.status >= 500) {
          this.stats.serverErrors.push(`${path}: ${res.status} ${parsed.error?.message ?? res.body.slice(0, 200)}`);
        }
        if (parsed.error) {
          this.stats.refused += 1;
          const data = parsed.error.data ?? {};
          return { ok: false, code: data.code ?? 'UNKNOWN', appCode: data.appCode ?? null, message: parsed.error.message ?? '', httpStatus: data.httpStatus ?? res.status, attempts };
        }
        this.stats.acknowledged += 1;
        return { ok: true, data: parsed.result?.data as T, attempts };
      } catch (error) {
        // Cut, refused or timed out: the outcome is unknown, so the same request goes again.
        if (Date.now() > this.giveUpAt()) {
          this.stats.unanswered += 1;
          return { ok: false, code: 'UNANSWERED', appCode: null, message: `${path}: ${(error as Error).message}`, httpStatus: 0, attempts };
        }
        // Backs off (with jitter) while no replica answers, as a client library does.
        await sleep(Math.min(1000, 100 * 2 ** Math.min(attempts - 1, 4)) * (0.5 + Math.random() / 2));
      }
    }
  }
}
