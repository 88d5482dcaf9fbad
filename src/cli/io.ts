import type { z } from 'zod';
import { translate } from '../lib/messages.ts';

/** A bad CLI input: the command exits 2 with one stderr line naming the field. */
export class CliInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'CliInputError';
  }
}

export async function readStdin(stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJsonDocument(text: string, field = '(input)'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliInputError(field, `not valid JSON (${(error as Error).message})`);
  }
}

/** Formats a zod issue path the way the CLI and REST errors name fields: `items.0.grams`. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(input)' : path.map(String).join('.');
}

/** Parses `value` with `schema`; the first issue becomes a CliInputError naming its field (a message shared with the web, in English). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issuePath(issue.path);
  throw new CliInputError(prefix ? (path === '(input)' ? prefix : `${prefix}.${path}`) : path, translate(issue.message, 'en'));
}

/** One CLI command: reads stdin text, returns stdout text. Throws CliInputError on bad input. */
export type CliCommand = (stdin: string, args: string[]) => Promise<string> | string;
