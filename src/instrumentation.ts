/**
 * Runs once when the server starts: validates the environment (a wrong value stops the process with
 * a message naming the variable) and starts the background job runner in this process.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env, EnvError } = await import('./server/env.ts');
  try {
    env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const { startBackgroundJobs } = await import('./server/background.ts');
  await startBackgroundJobs();
}
