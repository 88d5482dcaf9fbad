/**
 * The start handshake of the crash-safety harness's child processes (crash-web.child.ts,
 * crash-worker.child.ts). A child is spawned ahead of time as a standby: it loads the application's
 * modules, prints `{"t":"loaded"}` and waits; the harness writes `go` on its stdin when the child is to
 * take over a slot (after a kill), so a restart costs the start itself — opening the pool, binding the
 * port, connecting to Redis — not the seconds that loading the whole application takes on a busy
 * two-core machine. When stdin closes (the harness is gone) the child exits, so no process outlives
 * its test.
 */
export function awaitGo(): Promise<void> {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdout.write(`${JSON.stringify({ t: 'loaded' })}\n`);
  return new Promise((resolve) => {
    let buffered = '';
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString();
      if (!buffered.includes('go\n')) return;
      process.stdin.off('data', onData);
      // Keep reading (and discarding) so the end of stdin is still noticed.
      process.stdin.on('data', () => undefined);
      resolve();
    };
    process.stdin.on('data', onData);
  });
}
