import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { procStatCpuSeconds } from './load.core.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** `next build` when there is no build yet (`.next/BUILD_ID`). */
export async function buildIfMissing(): Promise<void> {
  if (existsSync(`${ROOT}.next/BUILD_ID`)) return;
  process.stderr.write('load bench: no build found, running next build\n');
  const child = spawn(process.execPath, [nextBin, 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  await exited(child);
  if (child.exitCode !== 0) throw new Error(`next build failed (exit ${child.exitCode ?? child.signalCode})`);
}

async function healthy(origin: string): Promise<boolean> {
  try {
    return (await fetch(`${origin}/api/health`)).ok;
  } catch {
    return false;
  }
}

export interface RunningServer {
  origin: string;
  /** CPU seconds (user + system) the server process has used so far; null where /proc is not there. */
  cpuSeconds(): number | null;
  /**
   * Resolves once the server has finished what the last run left in flight (autocannon drops its
   * connections at the end, the server still completes those requests): under 5 % of a core for
   * half a second, at most 20 s; without /proc, after 3 s.
   */
  settle(): Promise<void>;
  stop(): Promise<void>;
}


/** BENCH_LOAD_CPU_PROFILE_DIR: a server writes a V8 CPU profile there when it stops (open it in Chrome DevTools). */
function cpuProfileArgs(): string[] {
  const profileDir = process.env.BENCH_LOAD_CPU_PROFILE_DIR?.trim();
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
}

/**
 * `next start` on 127.0.0.1:`port` in its own process group, output to `logFile`; resolves once
 * /api/health answers 200. `stop()` ends the group (SIGTERM, then SIGKILL after 10 s).
 */
export function startNext(port: number, env: NodeJS.ProcessEnv, logFile: string): Promise<RunningServer> {
  return startServerProcess([...cpuProfileArgs(), nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], port, env, logFile, healthy);
}

/** The app's tRPC route handler on a bare node:http server (trpc-node-http.child.ts), run from source; resolves once it answers. */
export function startTrpcOnNodeHttp(port: number, env: NodeJS.ProcessEnv, logFile: string): Promise<RunningServer> {
  const child = fileURLToPath(new URL('./trpc-node-http.child.ts', import.meta.url));
  return startServerProcess([...cpuProfileArgs(), '--import', 'tsx', child], port, { ...env, PORT: String(port) }, logFile, answers);
}

async function answers(origin: string): Promise<boolean> {
  try {
    await fetch(`${origin}/`);
    return true;
  } catch {
    return false;
  }
}

/** `node <args>` serving on 127.0.0.1:`port` in its own process group, output to `logFile`; resolves once `ready` says so. */
async function startServerProcess(args: string[], port: number, env: NodeJS.ProcessEnv, logFile: string, ready: (origin: string) => Promise<boolean>): Promise<RunningServer> {
  const origin = `http://127.0.0.1:${port}`;
  if (await answers(origin)) throw new Error(`port ${port} is already serving: stop that server first`);
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // the group is gone already
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (!(await ready(origin))) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server (node ${args.join(' ')}) exited (${child.exitCode ?? child.signalCode})`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server (node ${args.join(' ')}) was not ready within 60 s`);
    }
    await sleep(250);
  }
  const cpuSeconds = () => {
    try {
      return procStatCpuSeconds(readFileSync(`/proc/${child.pid}/stat`, 'utf8'));
    } catch {
      return null;
    }
  };
  const settle = async () => {
    const deadline = Date.now() + 20_000;
    const first = cpuSeconds();
    if (first === null) return sleep(3_000);
    let before: number = first;
    while (Date.now() < deadline) {
      await sleep(500);
      const now: number = cpuSeconds() ?? before;
      if (now - before < 0.025) return;
      before = now;
    }
  };
  return { origin, cpuSeconds, settle, stop };
}
