import fc from 'fast-check';
import { z } from 'zod';
import { findInputProblem } from '../../lib/input-guard.core.ts';

/**
 * Hostile inputs derived from zod 4 schemas, for property-based fuzzing of every API edge.
 *
 * The schema is turned into JSON Schema (`z.toJSONSchema`, input side, dates as ISO strings since JSON
 * carries them so) and walked to build (a) near-valid values — the right shape, enums, bounds and
 * formats, though refinements may still refuse them — with exactly one field mutated to something
 * hostile (replaced, removed, or an extra key added), and (b) wholly wrong shapes. Everything is
 * produced as JSON *text*, because some hostile values only exist as text: a nesting 10,000 deep
 * (JS cannot `JSON.stringify` it), `1e309`, `-0`, `9007199254740993`, a duplicate or `__proto__` key.
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}

/** The JSON Schema of what `schema` accepts over JSON (its input side; a date is an ISO date-time string). */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === 'date') Object.assign(ctx.jsonSchema, { type: 'string', format: 'date-time' });
    },
  }) as JsonSchema;
}

// ── The hostile pool ──────────────────────────────────────────────────────────────────────────────

/** One hostile value as raw JSON text, with a label for failure reports. */
export interface Hostile {
  label: string;
  json: string;
}

export const MEGABYTE_STRING_CHARS = 1_000_000;
export const DEEP_NESTING = 10_000;

const value = (label: string, v: unknown): Hostile => ({ label, json: JSON.stringify(v) });
const raw = (label: string, json: string): Hostile => ({ label, json });

export const deepArrayJson = (depth = DEEP_NESTING) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
export const deepObjectJson = (depth = DEEP_NESTING) => `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`;

/** Huge values: cheap to describe, expensive to send — the fuzzers also send each once per endpoint. */
export const HUGE_VALUES: readonly Hostile[] = [
  raw('1 MB string', `"${'A'.repeat(MEGABYTE_STRING_CHARS)}"`),
  raw(`arrays nested ${DEEP_NESTING} deep`, deepArrayJson()),
  raw(`objects nested ${DEEP_NESTING} deep`, deepObjectJson()),
];

export const HOSTILE_STRINGS: readonly Hostile[] = [
  value('empty string', ''),
  value('blank string', ' \t\n '),
  value('NUL', '\u0000'),
  value('NUL inside text', '黄芪\u0000'),
  value('lone high surrogate', '\uD800'),
  value('lone low surrogate inside text', 'a\uDC00b'),
  value('right-to-left override', '\u202Egnp.exe'),
  value('zero-width characters', '\u200B\u200D\uFEFF'),
  value('emoji', '🌿💊👨‍👩‍👧‍👦'),
  value('combining marks', 'Z̴̡̪̔á̸̫l̶̡̈́g̷̢̛ő̵̪'),
  value('full-width digits', '１２３４５'),
  value('SQL injection', "'; DROP TABLE \"order\"; --"),
  value('SQL tautology', "' OR '1'='1"),
  value('script tag', '<script>alert(1)</script>'),
  value('HTML event handler', '"><img src=x onerror=alert(1)>'),
  value('path traversal', '../../etc/passwd'),
  value('Windows path traversal', '..\\..\\windows\\win.ini'),
  value('template injection', '${jndi:ldap://x/a}{{7*7}}%s%n'),
  value('CRLF header injection', 'a\r\nSet-Cookie: x=1'),
  value('NaN as a string', 'NaN'),
  value('Infinity as a string', 'Infinity'),
  value('number as a string', '-1'),
  value('impossible date', '2026-02-30'),
  value('date beyond the Date range', '+275760-09-13T00:00:00.001Z'),
  value('year zero', '0000-00-00T00:00:00Z'),
  value('8 KB string', '黄'.repeat(8192)),
];

export const HOSTILE_NUMBERS: readonly Hostile[] = [
  raw('negative', '-1'),
  raw('negative zero', '-0'),
  raw('zero', '0'),
  raw('fraction', '0.5'),
  raw('negative fraction', '-12.75'),
  raw('1e308', '1e308'),
  raw('-1e308', '-1e308'),
  raw('1e309 (Infinity once parsed)', '1e309'),
  raw('2^53+1', '9007199254740993'),
  raw('2^31', '2147483648'),
  raw('a 30-digit integer', '123456789012345678901234567890'),
  raw('smallest subnormal', '5e-324'),
];

export const WRONG_TYPES: readonly Hostile[] = [
  raw('null', 'null'),
  raw('true', 'true'),
  raw('false', 'false'),
  raw('empty array', '[]'),
  raw('empty object', '{}'),
  raw('array of mixed values', '[1,"a",null,{}]'),
  raw('query operator object', '{"$ne":null,"$gt":""}'),
  raw('__proto__ key', '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}'),
  raw('duplicate keys', '{"a":1,"a":"b"}'),
];

/** Every hostile value (the huge ones included). */
export const HOSTILE_VALUES: readonly Hostile[] = [...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, ...WRONG_TYPES, ...HUGE_VALUES];

/** Bodies that are not JSON at all. */
export const MALFORMED_JSON: readonly Hostile[] = [
  raw('empty body', ''),
  raw('truncated object', '{"a":'),
  raw('trailing comma', '{"a":1,}'),
  raw('single quotes', "{'a':1}"),
  raw('bare NaN', 'NaN'),
  raw('undefined', 'undefined'),
  raw('JavaScript comment', '/* x */ {}'),
  raw('unterminated string', '"abc'),
  raw('raw NUL byte', '\u0000'),
  raw('byte order mark then JSON', '\uFEFF{}'),
];

export const hostileValueArb: fc.Arbitrary<Hostile> = fc.constantFrom(...HOSTILE_VALUES);

// ── Near-valid values from a JSON Schema ──────────────────────────────────────────────────────────

const MAX_ARRAY = 3;
const MAX_SCHEMA_DEPTH = 6;

function resolveRef(ref: string, root: JsonSchema): JsonSchema {
  if (ref === '#') return root;
  const name = ref.replace(/^#\/\$defs\//, '');
  return root.$defs?.[name] ?? {};
}

function patternArb(pattern: string): fc.Arbitrary<string> | null {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return null;
  }
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.max(min, Math.min(s.maxLength ?? min + 16, min + 16));
  switch (s.format) {
    case 'email':
      return fc.stringMatching(/^[a-z]{3,10}$/).map((local) => `${local}@example.cn`);
    case 'date-time':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    case 'uuid':
      return fc.uuid();
    case 'uri':
    case 'url':
      return fc.constant('https://example.cn/a');
  }
  if (s.pattern) {
    const matching = patternArb(s.pattern);
    if (matching) return matching;
  }
  const chars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789黄芪当归人参白术');
  return fc.string({ unit: chars, minLength: min, maxLength: max });
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lower = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : -1000);
  const upper = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : 1_000_000);
  const lo = Math.max(lower, -Number.MAX_SAFE_INTEGER);
  const hi = Math.max(lo, Math.min(upper, Number.MAX_SAFE_INTEGER));
  if (integer) return fc.integer({ min: Math.ceil(lo), max: Math.max(Math.ceil(lo), Math.floor(hi)) });
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
}

/**
 * A value of the shape `schema` describes: required properties always, optional ones sometimes, enums
 * and consts, numbers within their bounds, strings of a fitting length, format or pattern. Refinements
 * the JSON Schema cannot express (a check digit, a date order) may still refuse it: "near-valid".
 */
export function nearValidArb(schema: JsonSchema, hints: ValueHints = {}): fc.Arbitrary<unknown> {
  return derive(schema, hints, schema, 0, null);
}

/** Domain knowledge a caller may add: e.g. real ids for `…Id` properties, so inputs reach the services. */
export interface ValueHints {
  /** An arbitrary for the string property `key`, or undefined to derive it from the schema. */
  stringFor?: (key: string, schema: JsonSchema) => fc.Arbitrary<string> | undefined;
}

function derive(schema: JsonSchema, hints: ValueHints, root: JsonSchema, depth: number, key: string | null): fc.Arbitrary<unknown> {
  const next = (s: JsonSchema, k: string | null = key) => derive(s, hints, root, depth + 1, k);
  if (schema.$ref) return depth > MAX_SCHEMA_DEPTH ? fc.constant(null) : next(resolveRef(schema.$ref, root));
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => next(a)));
  if (schema.allOf?.length) return next(schema.allOf[0]!);
  const type = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (type.length > 1) return fc.oneof(...type.map((t) => derive({ ...schema, type: t }, hints, root, depth, key)));
  switch (type[0]) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      if (depth > MAX_SCHEMA_DEPTH) return fc.constant(Object.fromEntries([...required].map((k) => [k, null])));
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, next(v, k)])), { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      if (Object.keys(props).length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), next(schema.additionalProperties, null), { maxKeys: 2 });
      }
      return record;
    }
    case 'array': {
      if (schema.prefixItems) return fc.tuple(...schema.prefixItems.map((p) => next(p)));
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? MAX_ARRAY, min + 2));
      if (depth > MAX_SCHEMA_DEPTH) return fc.constant([]);
      return fc.array(next(schema.items ?? {}), { minLength: min, maxLength: max });
    }
    case 'string':
      return (key !== null ? hints.stringFor?.(key, schema) : undefined) ?? stringArb(schema);
    case 'integer':
      return numberArb(schema, true);
    case 'number':
      return numberArb(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // Unrepresentable in JSON Schema (a transform, a custom type): a date string is the likeliest fit.
      return stringArb({ format: 'date-time' });
  }
}

// ── Mutations and wrong shapes, rendered to JSON text ─────────────────────────────────────────────

export type JsonPath = (string | number)[];

/** Every node below the root of a JSON value (objects, arrays and leaves), as paths. */
export function nodePaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...nodePaths(v, [...prefix, k])]);
}

/** Paths of the objects in a value, the root included (where an extra key can go). */
export function objectPaths(value: unknown, prefix: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [];
  const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  const own = Array.isArray(value) ? [] : [prefix];
  return [...own, ...entries.flatMap(([k, v]) => objectPaths(v, [...prefix, k]))];
}

export const formatPath = (path: JsonPath) => (path.length ? path.join('.') : '(input)');

const PLACEHOLDER = '\u{10FFFF}fuzz-hostile\u{10FFFF}';

function cloneJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function parentOf(root: unknown, path: JsonPath): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

/** `value` as JSON text with the node at `path` replaced by the raw JSON `fragment`. */
export function renderWith(value: unknown, path: JsonPath, fragment: string): string {
  if (path.length === 0) return fragment;
  const copy = cloneJson(value);
  parentOf(copy, path)[path[path.length - 1]!] = PLACEHOLDER;
  return JSON.stringify(copy).split(JSON.stringify(PLACEHOLDER)).join(fragment);
}

/** `value` as JSON text with an extra `key` (given raw JSON `fragment`) in the object at `path`. */
export function renderWithExtraKey(value: unknown, path: JsonPath, key: string, fragment: string): string {
  const copy = cloneJson(value) as Record<string, unknown>;
  const target = path.length ? (parentOf(copy, path)[path[path.length - 1]!] as Record<string, unknown>) : copy;
  // defineProperty, so `__proto__` becomes an own key (as JSON.parse makes it) instead of a prototype.
  Object.defineProperty(target, key, { value: PLACEHOLDER, enumerable: true, configurable: true, writable: true });
  return JSON.stringify(copy).split(JSON.stringify(PLACEHOLDER)).join(fragment);
}

/** `value` as JSON text without the member at `path`. */
export function renderWithout(value: unknown, path: JsonPath): string {
  const copy = cloneJson(value);
  const parent = parentOf(copy, path);
  const key = path[path.length - 1]!;
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return JSON.stringify(copy);
}

export type Mutation = { kind: 'replace'; path: JsonPath; hostile: string } | { kind: 'remove'; path: JsonPath } | { kind: 'extraKey'; path: JsonPath; key: string; hostile: string };

/** The path a mutation changed, as an answer should name it. */
export const mutatedPath = (m: Mutation | null): string | null => (m === null ? null : m.kind === 'extraKey' ? formatPath([...m.path, m.key]) : formatPath(m.path));

export interface FuzzInput {
  /** The JSON text to send. */
  json: string;
  /** What was done to a near-valid value, or what the wrong shape is. */
  label: string;
  /** The mutated field, when one field was changed. */
  mutation: Mutation | null;
}

/** Keys an extra-key mutation adds (prototype names, a tenancy key, the empty key). */
export const EXTRA_KEYS = ['extra', '__proto__', 'constructor', 'isAdmin', 'orgId', ''];

/** Shortens JSON text for a failure report (a counterexample may be megabytes long). */
export function preview(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** A FuzzInput that fast-check prints as its label and a preview, never as megabytes of JSON. */
export function fuzzInput(json: string, label: string, mutation: Mutation | null): FuzzInput {
  return { json, label, mutation, [fc.toStringMethod]: () => `${label} — ${preview(json)}` } as FuzzInput;
}

/**
 * (a) A near-valid value of `schema` with exactly one field mutated: replaced by a hostile value,
 * removed, or joined by an extra key.
 */
export function mutatedInputArb(schema: JsonSchema, hints: ValueHints = {}, hostile: fc.Arbitrary<Hostile> = hostileValueArb): fc.Arbitrary<FuzzInput> {
  return nearValidArb(schema, hints).chain((base) => mutationArb(base, hostile));
}

/** `base` (any JSON value, e.g. a documented example) with exactly one field mutated. */
export function mutationArb(base: unknown, hostile: fc.Arbitrary<Hostile> = hostileValueArb): fc.Arbitrary<FuzzInput> {
  const nodes = nodePaths(base);
  const objects = objectPaths(base);
  const choices: fc.Arbitrary<FuzzInput>[] = [];
  if (nodes.length) {
    choices.push(fc.tuple(fc.constantFrom(...nodes), hostile).map(([path, h]) => fuzzInput(renderWith(base, path, h.json), `${formatPath(path)} := ${h.label}`, { kind: 'replace', path, hostile: h.label })));
    const members = nodes.filter((p) => typeof p[p.length - 1] === 'string');
    if (members.length) choices.push(fc.constantFrom(...members).map((path) => fuzzInput(renderWithout(base, path), `${formatPath(path)} removed`, { kind: 'remove', path })));
  }
  if (objects.length) {
    choices.push(
      fc.tuple(fc.constantFrom(...objects), fc.constantFrom(...EXTRA_KEYS), hostile).map(([path, key, h]) => fuzzInput(renderWithExtraKey(base, path, key, h.json), `extra key ${formatPath([...path, key])} := ${h.label}`, { kind: 'extraKey', path, key, hostile: h.label })),
    );
  }
  if (!choices.length) return hostile.map((h) => fuzzInput(h.json, `(input) := ${h.label}`, { kind: 'replace', path: [], hostile: h.label }));
  return fc.oneof(...choices);
}

/** Every leaf of a value replaced by a value of another JSON type (string ↔ number, boolean → string…). */
export function everyFieldWrongType(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(everyFieldWrongType);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, everyFieldWrongType(x)]));
  if (typeof v === 'string') return 12345;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 0;
  return 'null';
}

/**
 * (b) A wholly wrong shape: a hostile value or malformed JSON in place of the whole input, the input
 * wrapped in an array or encoded twice, or every field of the wrong type.
 */
export function wrongShapeArb(schema: JsonSchema, hints: ValueHints = {}): fc.Arbitrary<FuzzInput> {
  const base = nearValidArb(schema, hints);
  const wrong = (label: string, json: string): FuzzInput => fuzzInput(json, label, null);
  return fc.oneof(
    { weight: 3, arbitrary: hostileValueArb.map((h) => wrong(`whole input := ${h.label}`, h.json)) },
    { weight: 2, arbitrary: fc.constantFrom(...MALFORMED_JSON).map((h) => wrong(`malformed JSON: ${h.label}`, h.json)) },
    { weight: 1, arbitrary: base.map((b) => wrong('input wrapped in an array', JSON.stringify([b]))) },
    { weight: 1, arbitrary: base.map((b) => wrong('input encoded twice (a JSON string)', JSON.stringify(JSON.stringify(b)))) },
    { weight: 1, arbitrary: base.map((b) => wrong('every field of the wrong type', JSON.stringify(everyFieldWrongType(b)))) },
  );
}

/** (a) and (b) mixed, mostly near-valid mutations. */
export function fuzzInputArb(schema: JsonSchema, hints: ValueHints = {}): fc.Arbitrary<FuzzInput> {
  return fc.oneof({ weight: 3, arbitrary: mutatedInputArb(schema, hints) }, { weight: 1, arbitrary: wrongShapeArb(schema, hints) });
}

// ── The verdict a server must reach ───────────────────────────────────────────────────────────────

export type Verdict =
  | { ok: true; value: unknown }
  /** Refused: `fields` are the paths a correct answer may name (the schema's issues or the guard's). */
  | { ok: false; reason: 'json' | 'guard' | 'schema'; fields: string[] };

/**
 * What the API must answer for `json`: parse it, apply the input guard, then the procedure's schema.
 * A refusal must be a 4xx naming one of `fields` (none for unparseable JSON).
 */
export function verdictFor(schema: z.ZodType, json: string): Verdict {
  let parsed: unknown;
  try {
    parsed = json === '' ? undefined : JSON.parse(json);
  } catch {
    return { ok: false, reason: 'json', fields: [] };
  }
  const problem = findInputProblem(parsed);
  if (problem) return { ok: false, reason: 'guard', fields: [problem.field] };
  const result = schema.safeParse(parsed);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reason: 'schema', fields: result.error.issues.map((i) => formatPath(i.path as JsonPath)) };
}
