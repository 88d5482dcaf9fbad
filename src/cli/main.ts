import { existsSync } from 'node:fs';
import { CliInputError, readStdin, type CliCommand } from './io.ts';

/**
 * The `bencao` CLI. Each command lives in `./commands/<name>.ts` and exports `run: CliCommand`
 * plus a one-line `summary`. Pure commands read stdin and write stdout; bad input exits 2 with one
 * line on stderr naming the field.
 */
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

interface CommandModule {
  run: CliCommand;
  summary: string;
  /** Commands that do not read stdin (e.g. audit-verify, search-reindex). */
  readsStdin?: boolean;
}

async function loadCommand(name: string): Promise<CommandModule | undefined> {
  if (!COMMAND_NAME.test(name)) return undefined;
  const url = new URL(`./commands/${name}.ts`, import.meta.url);
  if (!existsSync(url)) return undefined;
  return (await import(url.href)) as CommandModule;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write('usage: bencao <command> < input.json\n');
    return name ? 0 : 2;
  }
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`command: unknown command "${name}"\n`);
    return 2;
  }
  try {
    const stdin = command.readsStdin === false ? '' : await readStdin();
    const out = await command.run(stdin, args);
    process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CliInputError) {
      process.stderr.write(`${error.field}: ${error.problem.replace(/\s+/g, ' ')}\n`);
      return 2;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
}
