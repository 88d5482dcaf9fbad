/**
 * Runs once when the server starts: validates the environment (a wrong value stops the process with
 * a message naming the variable), starts tracing when `OTEL_TRACES_EXPORTER` asks for it (before the
 * database is opened, so statements get spans), then the background job runner in this process.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env, EnvError } = await import('./server/env.ts');
  const { logger } = await import('./server/observability/request-scope.ts');
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      logger().fatal({ problems: error.problems }, 'invalid environment');
      process.exit(1);
    }
    throw error;
  }
  const { startTracingFromEnv } = await import('./server/observability/tracing.ts');
  await startTracingFromEnv('bencao-web');
  const { startBackgroundJobs } = await import('./server/background.ts');
  await startBackgroundJobs();
}
