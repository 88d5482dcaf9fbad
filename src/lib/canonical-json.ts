import { createHash } from 'node:crypto';

/**
 * Canonical JSON, the form the platform hashes (tender award records, the audit-log hash chain):
 *
 * - object keys sorted at every level by UTF-16 code units (the order of RFC 8785 JCS and of a plain
 *   `Array.prototype.sort`), no whitespace anywhere;
 * - strings escaped exactly as `JSON.stringify` does: `"`, `\`, and control characters escaped,
 *   non-ASCII written as is (UTF-8 once hashed), lone surrogates as `\udxxx`;
 * - numbers as `JSON.stringify` writes them (the ECMAScript shortest round-trip form, `-0` → `0`);
 *   `NaN` and `±Infinity` are refused rather than silently written as `null`;
 * - only JSON values are accepted: `null`, booleans, strings, finite numbers, arrays and plain objects
 *   (prototype `Object.prototype` or `null`). `Date`, `Map`, class instances, `bigint`, functions and
 *   symbols throw, and so do cycles — a hash must never depend on an implicit conversion.
 * - an object member whose value is `undefined` is left out (as `JSON.stringify` does), so an optional
 *   field that is absent and one that is `undefined` hash the same; `undefined` as an array element or
 *   as the whole value throws.
 *
 * Pure: the same value always gives the same string.
 */
export function canonicalJson(value: unknown): string {
  const state: CloneState = { path: [], open: new Set(), indexKeys: false };
  const sorted = sortedClone(value, state);
  // Fast path: a fresh clone whose keys were inserted in sorted order, serialised by the engine. Engines
  // enumerate array-index-like keys ("0", "10") first in numeric order whatever the insertion order, so a
  // value with such a key goes through the (slower) explicit writer instead.
  return state.indexKeys ? writeSorted(sorted) : JSON.stringify(sorted);
}

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256Hex(canonicalJson(value))`. */
export function canonicalSha256(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

export class CanonicalJsonError extends TypeError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`canonical JSON: ${path}: ${problem}`);
    this.name = 'CanonicalJsonError';
  }
}

type Path = Array<string | number>;

interface CloneState {
  path: Path;
  /** Objects and arrays on the current branch (cycle detection). */
  open: Set<object>;
  /** Whether some object has an array-index-like key such as "0" or "10". */
  indexKeys: boolean;
}

const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

function pathText(path: Path): string {
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
}

/** Code-unit order (what `Array.prototype.sort` does by default, without its string conversions). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Validates `value` as JSON and returns a copy whose objects have their keys inserted in sorted order. */
function sortedClone(value: unknown, state: CloneState): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(pathText(state.path), `non-finite number ${String(value)}`);
      return value;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(pathText(state.path), `${typeof value} is not a JSON value`);
  }
  if (value === null) return null;
  if (state.open.has(value)) throw new CanonicalJsonError(pathText(state.path), 'cycle');
  state.open.add(value);
  let out: unknown;
  if (Array.isArray(value)) {
    const items: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      state.path.push(i);
      const item: unknown = value[i];
      if (item === undefined) throw new CanonicalJsonError(pathText(state.path), 'undefined is not a JSON value');
      items[i] = sortedClone(item, state);
      state.path.pop();
    }
    out = items;
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(pathText(state.path), `${name} is not a plain object`);
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).sort(compareKeys);
    // A plain `{}` (null-prototype objects are dictionary-mode and twice as slow to build and serialise);
    // a "__proto__" member, as JSON.parse creates it, is defined as an own property, not assigned.
    const copy: Record<string, unknown> = {};
    for (const key of keys) {
      const member = record[key];
      if (member === undefined) continue;
      const c = key.charCodeAt(0);
      if (c >= 48 && c <= 57 && ARRAY_INDEX.test(key)) state.indexKeys = true;
      state.path.push(key);
      const cloned = sortedClone(member, state);
      if (key === '__proto__') Object.defineProperty(copy, key, { value: cloned, enumerable: true, writable: true, configurable: true });
      else copy[key] = cloned;
      state.path.pop();
    }
    out = copy;
  }
  state.open.delete(value);
  return out;
}

/** Writes an already validated clone, sorting keys explicitly (used when some key is index-like). */
function writeSorted(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(writeSorted).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort(compareKeys)
    .map((key) => `${JSON.stringify(key)}:${writeSorted(record[key])}`);
  return `{${members.join(',')}}`;
}
