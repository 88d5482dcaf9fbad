import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson, canonicalSha256, sha256Hex } from './canonical-json.ts';

/**
 * Reference serialiser: recursive map/join. (A key-sorted deep copy fed to JSON.stringify would not do:
 * engines enumerate integer-like keys such as "0" first whatever the insertion order.)
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same value with every object's keys inserted in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // defineProperty, not assignment: `out["__proto__"] = v` would set the prototype instead of a member.
    for (const key of Object.keys(value).reverse()) Object.defineProperty(out, key, { value: reversedKeys((value as Record<string, unknown>)[key]), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and writes no whitespace', () => {
    const value = { b: 1, a: [{ z: true, y: null, x: 'x' }, 2], c: { d: { f: 1, e: 2 } } };
    expect(canonicalJson(value)).toBe('{"a":[{"x":"x","y":null,"z":true},2],"b":1,"c":{"d":{"e":2,"f":1}}}');
  });

  it('sorts keys by UTF-16 code units, not numerically or by locale', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', B: 1, a: 2, é: 3, 本: 4 })).toBe('{"10":"a","2":"b","B":1,"a":2,"é":3,"本":4}');
    // U+FB01 sorts after U+1F600 in code points but before it in UTF-16 code units (0xD83D…).
    expect(canonicalJson({ '\u{1F600}': 1, '\uFB01': 2 })).toBe('{"\u{1F600}":1,"\uFB01":2}');
  });

  it('handles index-like keys at any depth and a "__proto__" member', () => {
    expect(canonicalJson({ b: { 1: 'x', 0: 'y', a: 'z' }, a: 1 })).toBe('{"a":1,"b":{"0":"y","1":"x","a":"z"}}');
    expect(canonicalJson({ z: [{ '4294967296': 1, '10': 2, '9': 3 }] })).toBe('{"z":[{"10":2,"4294967296":1,"9":3}]}');
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1},"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":1}'))).not.toBe(canonicalJson({}));
  });

  it('keeps non-ASCII as is and escapes what JSON requires', () => {
    expect(canonicalJson({ herb: '黄芪', note: 'a"b\\c\n\u0001' })).toBe('{"herb":"黄芪","note":"a\\"b\\\\c\\n\\u0001"}');
    expect(canonicalJson('\uD800')).toBe('"\\ud800"');
  });

  it('writes numbers in the shortest round-trip form', () => {
    expect(canonicalJson([0, -0, 1, -1.5, 0.1, 0.6, 1e21, 5e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER])).toBe(
      '[0,0,1,-1.5,0.1,0.6,1e+21,5e-7,123456789012345680000,9007199254740991]',
    );
  });

  it('accepts the JSON scalars and empty containers', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson('')).toBe('""');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson(Object.assign(Object.create(null) as object, { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
  });

  it('refuses non-finite numbers, naming where they are', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: [1, Number.POSITIVE_INFINITY] })).toThrow(/\$\.a\[1\]: non-finite number Infinity/);
    expect(() => canonicalJson({ a: { b: Number.NEGATIVE_INFINITY } })).toThrow(/\$\.a\.b/);
  });

  it('refuses values that are not JSON', () => {
    expect(() => canonicalJson(1n)).toThrow(/bigint/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
    expect(() => canonicalJson(Symbol('s'))).toThrow(/symbol/);
    expect(() => canonicalJson(undefined)).toThrow(/undefined/);
    expect(() => canonicalJson([1, undefined])).toThrow(/\$\[1\]/);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date is not a plain object/);
    expect(() => canonicalJson(new Map())).toThrow(/Map/);
    class Point {
      x = 1;
    }
    expect(() => canonicalJson(new Point())).toThrow(/Point/);
  });

  it('refuses cycles but accepts a shared (acyclic) reference', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle/);
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"x":1},"b":[{"x":1}]}');
  });

  it('leaves out object members that are undefined, like JSON.stringify', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('property: equals a straightforward recursive serialiser, and round-trips', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(text).toBe(reference(value));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a "__proto__" member whatever the insertion order', () => {
    const value = JSON.parse('{"b":1,"__proto__":false}') as unknown;
    expect(canonicalJson(reversedKeys(value))).toBe('{"__proto__":false,"b":1}');
  });

  it('property: does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reversedKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('property: canonical text is a fixed point (canonical of its parse is itself)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('sha256Hex', () => {
  it('matches the standard test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the UTF-8 bytes of the text', () => {
    const expected = createHash('sha256').update(Buffer.from([0xe6, 0x9c, 0xac, 0xe8, 0x8d, 0x89])).digest('hex');
    expect(sha256Hex('本草')).toBe(expected);
  });

  it('canonicalSha256 hashes the canonical form', () => {
    expect(canonicalSha256({ b: 1, a: '黄芪' })).toBe(sha256Hex('{"a":"黄芪","b":1}'));
    expect(canonicalSha256({ a: '黄芪', b: 1 })).toBe(canonicalSha256({ b: 1, a: '黄芪' }));
  });
});
