// Starts `npm run demo` on a fresh embedded database for the e2e run (the webServer of playwright.config.ts).
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

rmSync(process.env.BENCAO_DATA_DIR ?? '.data-e2e', { recursive: true, force: true });
const child = spawn('node', ['scripts/demo.mjs'], { stdio: 'inherit', env: process.env });
const stop = (signal) => child.kill(signal);
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
