/**
 * `npm run bench [filter]` runs every `bench/*.bench.ts` (or those whose name contains the filter)
 * one after another in this process; each prints a table and writes bench/results/<name>.json.
 */
import { readdirSync } from 'node:fs';

const filter = process.argv[2] ?? '';
const dir = new URL('./', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort();
if (files.length === 0) {
  process.stderr.write(`no benchmark matches "${filter}"\n`);
  process.exit(2);
}
for (const file of files) {
  process.stdout.write(`\n# ${file}\n`);
  const mod = (await import(new URL(file, dir).href)) as { default: () => Promise<unknown> };
  await mod.default();
}
