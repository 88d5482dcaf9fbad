import { existsSync } from 'node:fs';
import { defineConfig, devices } from '@playwright/test';

/**
 * e2e drives the embedded demo exactly as a newcomer gets it (`npm run demo`: build, migrate, seed,
 * serve), on its own port and a fresh data directory. Debian's chromium when present (CI installs it),
 * otherwise Playwright's own browser if one is installed.
 */
const PORT = Number(process.env.E2E_PORT ?? 3123);
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://localhost:${PORT}`,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined,
          args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        },
      },
    },
  ],
  webServer: {
    command: 'node e2e/serve-demo.mjs',
    url: `http://localhost:${PORT}/api/health`,
    timeout: 20 * 60_000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      BENCAO_DATA_DIR: '.data-e2e',
      DATABASE_URL: '',
      REDIS_URL: '',
      APP_URL: `http://localhost:${PORT}`,
      // One simulated carrier minute lasts 150 ms: a 90-minute delivery plays in ~14 s, slow enough to
      // watch a page follow it live. SF's webhook secret is known to the shipments spec, which signs pushes.
      CARRIER_SIM_MINUTE_MS: '150',
      CARRIER_SF_SECRET: 'e2e-sf-webhook-secret-0123456789',
    },
  },
});
