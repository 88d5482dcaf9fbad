#!/usr/bin/env node
/**
 * `npm run demo`: build, migrate, seed an empty embedded database, print the logins and serve on
 * PORT (default 3000). Embedded defaults everywhere: PGlite in ./.data, in-process jobs, Postgres
 * search, the payment sandbox. Flags: --no-build (reuse the last build), --no-serve (stop after seeding).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = new Set(process.argv.slice(2));
const env = { ...process.env, BENCAO_DEMO: '1', NODE_ENV: 'production', PORT: process.env.PORT ?? '3000' };
if (!env.APP_URL) env.APP_URL = `http://localhost:${env.PORT}`;
// The demo's terminal shows the logins and warnings, not a JSON line per request (set LOG_LEVEL=info for those).
if (!env.LOG_LEVEL) env.LOG_LEVEL = 'warn';

function run(command, commandArgs, label) {
  return new Promise((resolve, reject) => {
    process.stdout.write(`\n▶ ${label}\n`);
    const child = spawn(command, commandArgs, { stdio: 'inherit', env });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`))));
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
try {
  if (!args.has('--no-build') || !existsSync('.next/BUILD_ID')) await run(npx, ['next', 'build'], 'build');
  await run(npx, ['tsx', 'src/server/db/migrate.cli.ts'], 'migrate');
  await run(npx, ['tsx', 'src/server/db/seed/seed.cli.ts'], 'seed demo world');
  if (args.has('--no-serve')) process.exit(0);
  process.stdout.write(`\n▶ serving on http://localhost:${env.PORT}\n`);
  const server = spawn(npx, ['next', 'start', '-p', env.PORT], { stdio: 'inherit', env });
  const stop = (signal) => server.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.on('exit', (code) => process.exit(code ?? 0));
} catch (error) {
  process.stderr.write(`\n✖ ${error.message}\n`);
  process.exit(1);
}
