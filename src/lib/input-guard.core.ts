/**
 * What every API input must satisfy before its schema looks at it: text PostgreSQL can store (no NUL,
 * no lone UTF-16 surrogate — both make a `text` or `jsonb` write fail) and a nesting depth no real
 * document needs (a deeply nested body would otherwise reach code that recurses over it).
 */
export const MAX_INPUT_DEPTH = 32;

export type InputProblemKind = 'nul' | 'loneSurrogate' | 'tooDeep';

export interface InputProblem {
  /**
   * The offending value's path, dotted as zod issues are (`items.0.herb`); `(input)` for the whole input.
   * Too deep a nesting is named by its top-level field.
   */
  field: string;
  problem: InputProblemKind;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The problem of one string, or null. */
export function textProblem(text: string): Exclude<InputProblemKind, 'tooDeep'> | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'loneSurrogate';
  return null;
}

/** A dotted path; an empty key is shown as `""` so the field is never named by an empty string. */
/** The longest id a route segment may carry (the ids the platform issues are far shorter). */
export const MAX_ROUTE_ID_LENGTH = 64;

/**
 * Whether a route's `[id]` segment can name anything: 1–64 characters of storable text. Anything else
 * is answered "not found" without asking the database (which refuses NUL outright).
 */
export function isWellFormedId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ROUTE_ID_LENGTH && textProblem(id) === null;
}

/** A problem in plain English, for answers that are not translated (webhooks answer their senders). */
export function describeInputProblem(problem: InputProblem): string {
  const what = { nul: 'contains a NUL character', loneSurrogate: 'contains a lone UTF-16 surrogate', tooDeep: `is nested more than ${MAX_INPUT_DEPTH} levels deep` }[problem.problem];
  return `${problem.field}: ${what}`;
}

const fieldOf = (path: readonly (string | number)[]) => (path.length ? path.map((k) => (k === '' ? '""' : k)).join('.') : '(input)');

/**
 * The first problem found in `value` (a parsed JSON input, or what a caller passed in-process), walking
 * it without recursion so a hostile depth cannot exhaust the stack. Object keys are checked like values.
 */
export function findInputProblem(value: unknown, maxDepth = MAX_INPUT_DEPTH): InputProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: node, path } = stack.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return { field: fieldOf(path), problem };
      continue;
    }
    if (node === null || typeof node !== 'object' || node instanceof Date) continue;
    // Named by its top-level field: the full path of a hostile nesting is no help to anyone.
    if (path.length >= maxDepth) return { field: fieldOf(path.slice(0, 1)), problem: 'tooDeep' };
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) return { field: fieldOf([...path, key]), problem };
      }
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
