import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real `bencao` binary with `args` on exactly the database given — DATABASE_URL, or the
 * embedded PGlite directory BENCAO_DATA_DIR — never the caller's own, and without a search server
 * (MEILI_URL unset).
 */
export function runBencao(args: readonly string[], target: { databaseUrl: string } | { dataDir: string }, timeoutMs = 150_000): CliRun {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  delete childEnv.DATABASE_URL;
  delete childEnv.BENCAO_DATA_DIR;
  delete childEnv.MEILI_URL;
  if ('databaseUrl' in target) childEnv.DATABASE_URL = target.databaseUrl;
  else childEnv.BENCAO_DATA_DIR = target.dataDir;
  const result = spawnSync('node', ['bin/bencao.mjs', ...args], { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: timeoutMs });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
