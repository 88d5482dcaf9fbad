import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appRouter } from './root.ts';
import { runImport } from '../domains/catalog/import.run.ts';
import { MAX_UPLOAD_BYTES } from '../domains/uploads/upload-type.core.ts';
import { testCarriers } from '../domains/delivery/shipments.testkit.ts';
import { appPaymentsConfig } from '../integrations/payments/payments.ts';
import { signatureHeader } from '../integrations/payments/signature.core.ts';
import * as restV1Route from '../../app/api/v1/[...path]/route.ts';
import * as uploadsRoute from '../../app/api/uploads/route.ts';
import * as uploadRoute from '../../app/api/uploads/[id]/route.ts';
import * as importsRoute from '../../app/api/imports/route.ts';
import * as importErrorsRoute from '../../app/api/imports/[id]/errors.csv/route.ts';
import * as labelPngRoute from '../../app/api/lots/[id]/label.png/route.ts';
import * as labelSvgRoute from '../../app/api/lots/[id]/label.svg/route.ts';
import * as ohlcRoute from '../../app/api/market/ohlc/route.ts';
import * as paymentWebhookRoute from '../../app/api/webhooks/payments/route.ts';
import * as carrierWebhookRoute from '../../app/api/webhooks/carriers/[carrier]/route.ts';
import * as sandboxRoute from '../../app/api/payments-sandbox/v1/[...path]/route.ts';
import * as authRoute from '../../app/api/auth/[...all]/route.ts';
import { callersFor, createDbTracker, createFuzzWorld, failureReport, fieldFits, fuzzRuns, fuzzSeed, idHints, readAnswer, restErrorField, restErrorProblems, type Answer, type FuzzCaller, type FuzzWorld } from '../testing/fuzz-harness.ts';
import {
  DEEP_NESTING,
  deepArrayJson,
  EXTRA_KEYS,
  fuzzInput,
  fuzzInputArb,
  HOSTILE_STRINGS,
  HOSTILE_VALUES,
  HUGE_VALUES,
  inputJsonSchema,
  formatPath,
  MALFORMED_JSON,
  mutatedPath,
  mutationArb,
  nearValidArb,
  nodePaths,
  preview,
  renderWith,
  verdictFor,
  type FuzzInput,
  type Hostile,
  type JsonPath,
  type Verdict,
} from '../testing/hostile-input.core.ts';

/**
 * Hostile input at the HTTP edges outside the tRPC endpoint, through the real route handlers: every
 * REST v1 operation (enumerated from the routers' OpenAPI meta, inputs derived from their zod schemas),
 * uploads (type by content, size while streaming, hostile names), catalogue imports (hostile files, and
 * the import job run on them), carrier and payment webhooks (unsigned, forged, and signed with the real
 * secret so hostile bodies reach the parsers), the OHLC export, lot labels, downloads, import error
 * reports and the payments sandbox. Never a 5xx; a refusal is a JSON error with a clear message (naming
 * the field where one is wrong); a refused request changes nothing in the database.
 */

/** Generated runs per endpoint (plus fixed examples: every hostile text, the huge values). Bounded for CI time. */
const RUNS = { rest: fuzzRuns(8), uploads: fuzzRuns(30), imports: fuzzRuns(20), webhooks: fuzzRuns(25), params: fuzzRuns(12), sandbox: fuzzRuns(15), auth: fuzzRuns(25) };

let world: FuzzWorld;
const seed = fuzzSeed();
let failures: string[] = [];
let requests = 0;
const started = performance.now();

beforeAll(async () => {
  world = await createFuzzWorld();
}, 180_000);

beforeEach(() => {
  failures = [];
});

afterAll(async () => {
  console.log(`route fuzz: ${requests} requests in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${seed})`);
  await world?.close();
});

const keyOf = (label: string): FuzzCaller => world.callers.find((c) => c.label === label)!;
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
/** A hostile value as query or path text: the string itself, or the JSON text of anything else. */
const hostileText = (h: Hostile) => {
  const value = JSON.parse(h.json) as unknown;
  return typeof value === 'string' ? value : h.json;
};
/** Hostile strings a URL, a header or a form can carry (no lone surrogate survives UTF-8). */
const TEXT_HOSTILES = [...HOSTILE_STRINGS, ...HUGE_VALUES].filter((h) => !/lone/.test(h.label));

/** The value at `path` in a JSON value. */
function leafAt(value: unknown, path: JsonPath): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], value);
}

/** Calls a route handler; one that throws is what Next.js answers with a 500, and is reported so. */
async function call(handler: () => Promise<Response>): Promise<Answer> {
  requests += 1;
  try {
    return await readAnswer(await handler());
  } catch (error) {
    const text = `the handler threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
    return { status: 500, contentType: '', text, json: null };
  }
}

function report(where: string, problems: string[]) {
  for (const problem of problems) failures.push(`${where}: ${problem}`);
}

// ── REST v1 ───────────────────────────────────────────────────────────────────────────────────────

interface RestOp {
  procedure: string;
  method: string;
  path: string;
  schema: z.ZodType;
}

const restOps: RestOp[] = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { inputs: z.ZodType[]; meta?: { openapi?: { method: string; path: string } } } }>).flatMap(([procedure, p]) =>
  p._def.meta?.openapi && p._def.inputs[0] ? [{ procedure, method: p._def.meta.openapi.method, path: p._def.meta.openapi.path, schema: p._def.inputs[0] }] : [],
);

const restHandler = (req: Request) => (restV1Route as unknown as Record<string, (r: Request) => Promise<Response>>)[req.method]!(req);

/** The URL of a GET operation: path parameters in the path (percent-encoded), the rest as query parameters. */
function restGetUrl(op: RestOp, params: [string, string][]): string {
  const rest = [...params];
  const urlPath = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const i = rest.findIndex(([k]) => k === name);
    const value = i >= 0 ? rest.splice(i, 1)[0]![1] : '';
    return encodeURIComponent(value);
  });
  const url = new URL(`http://localhost/api/v1${urlPath}`);
  for (const [k, v] of rest) url.searchParams.append(k, v);
  return url.href;
}

/** The input the REST adapter hands the procedure for a GET URL (trpc-to-openapi: query values, repeated ones as arrays, raw path segments), or null when no operation matches the path. */
function restGetInput(op: RestOp, href: string): Record<string, unknown> | null {
  const url = new URL(href);
  const pattern = new RegExp(`^/api/v1${op.path.replace(/\{(\w+)\}/g, (_, key: string) => `(?<${key}>[^/]+)`)}$`, 'i');
  const match = pattern.exec(url.pathname);
  if (!match) return null;
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? all[0]! : all;
  }
  return { ...query, ...(match.groups ?? {}) };
}

interface ParamsInput {
  params: [string, string][];
  label: string;
  field: string | null;
  [fc.toStringMethod]: () => string;
}

const paramsInput = (params: [string, string][], label: string, field: string | null): ParamsInput => ({ params, label, field, [fc.toStringMethod]: () => `${label} — ${preview(JSON.stringify(params), 160)}` });

/** Near-valid parameters with one of them hostile, removed, repeated, or joined by an extra one. */
function paramsArb(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<ParamsInput> {
  const hostile = fc.constantFrom(...TEXT_HOSTILES, ...HOSTILE_VALUES.filter((h) => !h.json.startsWith('"')));
  return base.chain((b) => {
    const params = Object.entries(b).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asText(v)] as [string, string]);
    const keys = params.map(([k]) => k);
    const choices: fc.Arbitrary<ParamsInput>[] = [fc.tuple(fc.constantFrom(...EXTRA_KEYS.filter(Boolean), 'limit[]', 'q[]'), hostile).map(([k, h]) => paramsInput([...params, [k, hostileText(h)]], `extra ${k} := ${h.label}`, k))];
    if (keys.length) {
      choices.push(fc.tuple(fc.constantFrom(...keys), hostile).map(([k, h]) => paramsInput(params.map(([pk, pv]) => [pk, pk === k ? hostileText(h) : pv]), `${k} := ${h.label}`, k)));
      choices.push(fc.constantFrom(...keys).map((k) => paramsInput(params.filter(([pk]) => pk !== k), `${k} removed`, k)));
      choices.push(fc.constantFrom(...keys).map((k) => paramsInput([...params, [k, params.find(([pk]) => pk === k)![1]]], `${k} repeated`, k)));
    }
    return fc.oneof(...choices);
  });
}

/** The API key of the first organisation that gets past the operation's permission check. */
async function reachingKey(op: RestOp): Promise<FuzzCaller | null> {
  const sample = fc.sample(nearValidArb(inputJsonSchema(op.schema), idHints(world)), { numRuns: 1, seed })[0] as Record<string, unknown>;
  for (const caller of callersFor(op.procedure, world.callers).filter((c) => c.apiKey)) {
    const req =
      op.method === 'GET'
        ? new Request(restGetUrl(op, Object.entries(sample).map(([k, v]) => [k, asText(v)])), { headers: caller.headers })
        : new Request(`http://localhost/api/v1${op.path}`, { method: op.method, headers: { ...Object.fromEntries(caller.headers), 'content-type': 'application/json' }, body: JSON.stringify(sample) });
    const answer = await call(() => restHandler(req));
    if (![401, 403].includes(answer.status)) return caller;
  }
  return null;
}

/** What a REST body must get: over 1 MB 413; not a JSON object (an array, a string…) 400 naming `(input)`; else the schema's verdict. */
function restBodyVerdict(op: RestOp, json: string): Verdict {
  if (Buffer.byteLength(json) > 1024 * 1024) return { ok: false, reason: 'json', fields: [] };
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'json', fields: [] };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'schema', fields: ['(input)'] };
  return verdictFor(op.schema, json);
}

function judgeRefusal(answer: Answer, verdict: Verdict, field: string | null): string[] {
  const problems = restErrorProblems(answer);
  if (problems.length || verdict.ok) return problems;
  if (answer.status !== 400 && answer.status !== 413) return [`expected 400 (${verdict.reason}: ${verdict.fields.join(', ') || 'not JSON'}), got ${answer.status} ${preview(answer.text, 200)}`];
  if (answer.status === 400 && !fieldFits(restErrorField(answer), verdict, field)) return [`named field ${JSON.stringify(restErrorField(answer))}, expected one of ${verdict.fields.join(', ')}`];
  return [];
}

describe('route handler fuzzing', () => {
  it('REST v1: every operation answers hostile input with a 4xx {"error":{code,message,field}} naming the field, never a 5xx', async () => {
    expect(restOps.length).toBeGreaterThan(5);
    const db = createDbTracker(world.app.handle);
    for (const [index, op] of restOps.entries()) {
      const caller = await reachingKey(op);
      if (!caller) {
        failures.push(`${op.method} /api/v1${op.path}: no API key of the fuzz world gets past its permission check`);
        continue;
      }
      const where = (label: string) => `REST ${op.method} /api/v1${op.path} as ${caller.label} [${label}]`;
      await db.start();
      if (op.method === 'GET') {
        const base = nearValidArb(inputJsonSchema(op.schema), idHints(world)) as fc.Arbitrary<Record<string, unknown>>;
        // Every hostile text once, in the parameters in turn (the path parameter first), then random mutations.
        const sample = Object.entries(fc.sample(base, { numRuns: 1, seed })[0]!).filter(([, v]) => v !== undefined).map(([k, v]) => [k, asText(v)] as [string, string]);
        const keys = [...new Set([...(op.path.match(/\{(\w+)\}/g) ?? []).map((k) => k.slice(1, -1)), ...sample.map(([k]) => k)])];
        const examples = keys.length
          ? TEXT_HOSTILES.map((h, i) => {
              const key = keys[i % keys.length]!;
              const params: [string, string][] = [...sample.filter(([k]) => k !== key), [key, hostileText(h)]];
              return [paramsInput(params, `${key} := ${h.label}`, key)] as [ParamsInput];
            })
          : [];
        await fc.assert(
          fc.asyncProperty(paramsArb(base), async (input) => {
            const href = restGetUrl(op, input.params);
            const answer = await call(() => restHandler(new Request(href, { headers: caller.headers })));
            const restInput = restGetInput(op, href);
            const problems =
              restInput === null
                ? answer.status === 404
                  ? restErrorProblems(answer)
                  : [`a path no operation matches answered ${answer.status}`]
                : judgeRefusal(answer, verdictFor(op.schema, JSON.stringify(restInput)), input.field);
            report(`${where(input.label)} ${preview(href, 160)}`, problems);
          }),
          { numRuns: RUNS.rest + examples.length, seed: seed + index, examples },
        );
        report(where('queries'), await db.after(true));
        continue;
      }
      const examples = HUGE_VALUES.map((h) => [fuzzInput(h.json, `whole body := ${h.label}`, null)] as [FuzzInput]);
      examples.push([fuzzInput(`{"x":"${'A'.repeat(2 * 1024 * 1024)}"}`, 'a 2 MB body', null)]);
      await fc.assert(
        fc.asyncProperty(fuzzInputArb(inputJsonSchema(op.schema), idHints(world)), async (input) => {
          const headers = new Headers(caller.headers);
          headers.set('content-type', 'application/json');
          const answer = await call(() => restHandler(new Request(`http://localhost/api/v1${op.path}`, { method: op.method, headers, body: input.json })));
          const verdict = restBodyVerdict(op, input.json);
          const problems = judgeRefusal(answer, verdict, mutatedPath(input.mutation));
          if (Buffer.byteLength(input.json) > 1024 * 1024 && answer.status !== 413) problems.push(`a body over 1 MB answered ${answer.status}, expected 413`);
          problems.push(...(await db.after(answer.status >= 400)));
          report(`${where(input.label)} ${preview(input.json, 120)}`, problems);
        }),
        { numRuns: RUNS.rest, seed: seed + index, examples },
      );
    }
    // The Idempotency-Key header of POST /prescriptions: hostile values are refused naming the header.
    const hospitalKey = keyOf('hospital/api-key');
    for (const value of ['', 'short', 'x'.repeat(101), '\u00e9'.repeat(10), "'; DROP TABLE x; --"]) {
      const headers = new Headers(hospitalKey.headers);
      headers.set('content-type', 'application/json');
      headers.set('idempotency-key', value);
      const answer = await call(() => restHandler(new Request('http://localhost/api/v1/prescriptions', { method: 'POST', headers, body: '{}' })));
      report(`REST POST /api/v1/prescriptions Idempotency-Key ${JSON.stringify(preview(value, 40))}`, [...restErrorProblems(answer), ...(answer.status < 400 ? [`accepted (${answer.status})`] : [])]);
    }
    report('REST v1 run', await db.after(true));
    expect(failures, failureReport('REST v1 fuzz', seed, failures)).toEqual([]);
  }, 300_000);

  // ── Uploads ───────────────────────────────────────────────────────────────────────────────────────

  const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
  const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
  const text = (s: string) => new TextEncoder().encode(s);
  const ALLOWED = new Set(['application/pdf', 'image/png', 'image/jpeg']);
  const CONTENTS: { label: string; bytes: Uint8Array; type: string | null }[] = [
    { label: 'PDF', bytes: PDF, type: 'application/pdf' },
    { label: 'PNG', bytes: PNG, type: 'image/png' },
    { label: 'JPEG', bytes: JPEG, type: 'image/jpeg' },
    { label: 'PDF with a script after the header', bytes: text('%PDF-1.7\n<script>alert(1)</script>'), type: 'application/pdf' },
    { label: 'HTML', bytes: text('<!doctype html><script>alert(document.cookie)</script>'), type: null },
    { label: 'SVG with a script', bytes: text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), type: null },
    { label: 'GIF', bytes: text('GIF89a\x01\x00\x01\x00'), type: null },
    { label: 'ZIP (an .xlsx)', bytes: Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), type: null },
    { label: 'Windows executable', bytes: text('MZ\x90\x00\x03'), type: null },
    { label: 'ELF executable', bytes: Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), type: null },
    { label: 'a truncated PDF magic', bytes: text('%PDF'), type: null },
    { label: 'empty', bytes: new Uint8Array(), type: null },
    { label: 'NUL bytes', bytes: new Uint8Array(64), type: null },
  ];
  const FILE_NAMES = ['licence.pdf', '../../etc/passwd', '..\\..\\boot.ini', 'a\u0000.pdf', '\u202Egnp.exe', '<script>alert(1)</script>.pdf', `${'长'.repeat(3000)}.pdf`, '🌿.png', '', 'CON', '.htaccess', "'; DROP TABLE upload; --.pdf", 'report.pdf.exe', 'x.svg'];
  const DECLARED_TYPES = ['application/pdf', 'image/png', 'text/html', 'image/svg+xml', 'application/octet-stream', 'application/x-msdownload', ''];

  /** The allow-list, by content: PDF, PNG, JPEG signatures. */
  const MAGIC = [
    [0x25, 0x50, 0x44, 0x46, 0x2d],
    [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    [0xff, 0xd8, 0xff],
  ];
  const unsafeName = (name: string) => name === '' || name.length > 120 || [...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch === '/' || ch === '\\' || (ch.charCodeAt(0) >= 0x202a && ch.charCodeAt(0) <= 0x202e));
  const multipart = (parts: { field: string; bytes: Uint8Array; name: string; type: string }[], headers: Headers) => {
    const form = new FormData();
    for (const p of parts) form.append(p.field, new File([new Uint8Array(p.bytes)], p.name, { type: p.type }));
    return new Request('http://localhost/api/uploads', { method: 'POST', headers, body: form });
  };

  it('uploads: the type is judged by content against the allow-list, size is capped while streaming (413), hostile names are tamed, and files are served safely from outside the web root', async () => {
    const owner = keyOf('supplier/owner');
    const db = createDbTracker(world.app.handle);
    await db.start();
    const uploadArb = fc.record({
      content: fc.oneof(fc.constantFrom(...CONTENTS), fc.uint8Array({ maxLength: 48 }).map((bytes) => ({ label: 'random bytes', bytes, type: null as string | null }))),
      name: fc.constantFrom(...FILE_NAMES),
      declared: fc.constantFrom(...DECLARED_TYPES),
      field: fc.constantFrom('file', 'file', 'file', 'document', 'FILE'),
    });
    await fc.assert(
      fc.asyncProperty(uploadArb, async (u) => {
        const answer = await call(() => uploadsRoute.POST(multipart([{ field: u.field, bytes: u.content.bytes, name: u.name, type: u.declared }], owner.headers)));
        const where = `POST /api/uploads [${u.content.label} as ${JSON.stringify(preview(u.name, 30))} (${u.declared || 'no type'}) in field ${u.field}]`;
        const problems = restErrorProblems(answer);
        // (A part with an empty file name is not a file to the form parser: refused as "no file".)
        const acceptable = u.field === 'file' && u.name !== '' && MAGIC.some((magic) => magic.every((byte, i) => u.content.bytes[i] === byte));
        if (acceptable && answer.status !== 201) problems.push(`an allowed ${u.content.label} answered ${answer.status} ${preview(answer.text, 160)}`);
        if (!acceptable && answer.status < 400) problems.push(`accepted ${u.content.label} (declared ${u.declared || 'nothing'}): ${preview(answer.text, 160)}`);
        if (!acceptable && answer.status === 400 && restErrorField(answer) !== 'file') problems.push(`named field ${JSON.stringify(restErrorField(answer))}, expected file`);
        if (answer.status === 201) {
          const stored = answer.json as { id: string; fileName: string; contentType: string };
          if (!ALLOWED.has(stored.contentType)) problems.push(`stored as ${stored.contentType}`);
          if (u.content.type && stored.contentType !== u.content.type) problems.push(`stored as ${stored.contentType}, its content is ${u.content.type} (declared ${u.declared || 'nothing'})`);
          if (unsafeName(stored.fileName)) problems.push(`unsafe stored name ${JSON.stringify(stored.fileName)}`);
          const download = await uploadRoute.GET(new Request(`http://localhost/api/uploads/${stored.id}`, { headers: owner.headers }), { params: Promise.resolve({ id: stored.id }) });
          requests += 1;
          const bytes = new Uint8Array(await download.arrayBuffer());
          if (download.status !== 200 || !Buffer.from(bytes).equals(Buffer.from(u.content.bytes))) problems.push(`download answered ${download.status} with other bytes`);
          if (download.headers.get('content-type') !== stored.contentType) problems.push(`served as ${download.headers.get('content-type')}`);
          if (download.headers.get('x-content-type-options') !== 'nosniff') problems.push('served without X-Content-Type-Options: nosniff');
          if (!/^(inline|attachment); filename\*=UTF-8''/.test(download.headers.get('content-disposition') ?? '')) problems.push(`Content-Disposition ${download.headers.get('content-disposition')}`);
          if (!/private/.test(download.headers.get('cache-control') ?? '')) problems.push(`Cache-Control ${download.headers.get('cache-control')}`);
          // Stored outside the web root, under the data directory.
          const onDisk = path.join(world.dataDir, 'uploads');
          if (!readFileSync(path.join(onDisk, (await world.app.handle.db.query.upload.findFirst({ where: (t, { eq }) => eq(t.id, stored.id) }))!.storageKey)).equals(Buffer.from(u.content.bytes))) problems.push('the stored file differs');
        }
        problems.push(...(await db.after(answer.status >= 400)));
        report(where, problems);
      }),
      { numRuns: RUNS.uploads, seed },
    );

    // Bodies that are not a multipart form with a file.
    const bodies: [string, BodyInit | null, Record<string, string>][] = [
      ['a JSON body', '{"file":"%PDF-1.7"}', { 'content-type': 'application/json' }],
      ['an empty body', null, { 'content-type': 'multipart/form-data; boundary=x' }],
      ['a broken multipart boundary', '--y\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.7\r\n--y--', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['a multipart without a boundary', '%PDF-1.7', { 'content-type': 'multipart/form-data' }],
      ['a urlencoded form', 'file=%25PDF-1.7', { 'content-type': 'application/x-www-form-urlencoded' }],
      [`arrays nested ${DEEP_NESTING} deep`, deepArrayJson(), { 'content-type': 'application/json' }],
    ];
    for (const [label, body, extra] of bodies) {
      const headers = new Headers(owner.headers);
      for (const [k, v] of Object.entries(extra)) headers.set(k, v);
      const answer = await call(() => uploadsRoute.POST(new Request('http://localhost/api/uploads', { method: 'POST', headers, body })));
      report(`POST /api/uploads [${label}]`, [...restErrorProblems(answer), ...(answer.status !== 400 ? [`answered ${answer.status}, expected 400`] : []), ...(await db.after(true))]);
    }

    // Too large: refused with 413 — by the declared length before reading, and while streaming when no
    // length is declared (the stream is not read to its end).
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(PDF);
    const declared = await call(() => uploadsRoute.POST(multipart([{ field: 'file', bytes: big, name: 'big.pdf', type: 'application/pdf' }], owner.headers)));
    report('POST /api/uploads [10 MB + 1 byte]', [...restErrorProblems(declared), ...(declared.status !== 413 ? [`answered ${declared.status}, expected 413`] : [])]);
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024).fill(0x41);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 64 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const headers = new Headers(owner.headers);
    headers.set('content-type', 'multipart/form-data; boundary=fuzz');
    const streamed = await call(() => uploadsRoute.POST(new Request('http://localhost/api/uploads', { method: 'POST', headers, body: endless, duplex: 'half' } as RequestInit)));
    report('POST /api/uploads [a 64 MB stream without Content-Length]', [
      ...restErrorProblems(streamed),
      ...(streamed.status !== 413 ? [`answered ${streamed.status}, expected 413`] : []),
      ...(pulled > MAX_UPLOAD_BYTES + 4 * 1024 * 1024 ? [`read ${pulled} bytes of it before refusing`] : []),
    ]);
    report('uploads run', await db.after(true));
    expect(failures, failureReport('upload fuzz', seed, failures)).toEqual([]);
  }, 180_000);

  // ── Imports ───────────────────────────────────────────────────────────────────────────────────────

  it('imports: hostile files and forms are refused or imported row by row, and the import job survives them', async () => {
    const owner = keyOf('supplier/owner');
    const db = createDbTracker(world.app.handle);
    await db.start();
    const HEADER = '药材,形态,规格,炮制,等级,产地,道地,批号,数量kg,生产日期,有效期至,单价元每kg,起订kg,配送地区';
    const cells = ['黄芪', '饮片', '片', '生', '选货', '甘肃陇西', '是', 'FUZZ-B1', '300', '2025-10-01', '2027-09-30', '72.50', '5', '330106'];
    const cellHostile = fc.constantFrom(
      ...TEXT_HOSTILES.filter((h) => h.json.length < 100_000),
      ...['=cmd|\' /C calc\'!A0', '@SUM(1+1)', '"quoted, with comma"', '-1', '1e308', '0.0000001', '9007199254740993', ''].map((v) => ({ label: JSON.stringify(v), json: JSON.stringify(v) })),
    );
    const csvArb = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: cells.length - 1 }), cellHostile).map(([i, h]) => ({ label: `cell ${i} := ${h.label}`, text: `${HEADER}\n${cells.map((c, j) => (j === i ? hostileText(h) : c)).join(',')}\n` })),
      fc.constantFrom(
        { label: 'headers only', text: `${HEADER}\n` },
        { label: 'unknown headers', text: 'a,b,c\n1,2,3\n' },
        { label: 'a byte order mark', text: `\uFEFF${HEADER}\n${cells.join(',')}\n` },
        { label: 'an unterminated quote', text: `${HEADER}\n"${cells.join(',')}\n` },
        { label: 'CR line ends', text: `${HEADER}\r${cells.join(',')}\r` },
        { label: 'a NUL in the file', text: `${HEADER}\n${cells.join(',')}\u0000\n` },
        { label: 'binary', text: '\u0000\u0001\u0002PK\u0003\u0004' },
        { label: 'JSON', text: '{"rows":[]}' },
      ),
    );
    await fc.assert(
      fc.asyncProperty(csvArb, fc.constantFrom('all_or_nothing', 'valid_rows', '', "'; DROP TABLE import_job; --", 'x'.repeat(300)), fc.constantFrom('lots.csv', 'lots.xlsx', '../x.csv', 'a\u0000.csv'), async (csv, mode, name) => {
        const form = new FormData();
        form.set('file', new File([csv.text], name, { type: 'text/csv' }));
        form.set('mode', mode);
        const answer = await call(() => importsRoute.POST(new Request('http://localhost/api/imports', { method: 'POST', headers: owner.headers, body: form })));
        const problems = restErrorProblems(answer);
        if (answer.status === 202) {
          // Run the import job on it, as the job runner would: it must finish, whatever the cells hold.
          try {
            await runImport(world.app.handle.db, (answer.json as { id: string }).id, { progressEvery: 1 });
          } catch (error) {
            problems.push(`the import job failed: ${preview(String(error), 200)}`);
          }
        }
        problems.push(...(await db.after(answer.status >= 400)));
        report(`POST /api/imports [${csv.label}; mode ${preview(JSON.stringify(mode), 30)}; ${JSON.stringify(name)}] → ${answer.status}`, problems);
      }),
      { numRuns: RUNS.imports, seed },
    );
    for (const [label, body, type] of [
      ['a JSON body', '{"file":"x"}', 'application/json'],
      ['no body', null, 'multipart/form-data; boundary=x'],
      ['a broken multipart', '--y\r\n\r\n', 'multipart/form-data; boundary=x'],
    ] as const) {
      const headers = new Headers(owner.headers);
      headers.set('content-type', type);
      const answer = await call(() => importsRoute.POST(new Request('http://localhost/api/imports', { method: 'POST', headers, body })));
      report(`POST /api/imports [${label}]`, [...restErrorProblems(answer), ...(answer.status !== 400 ? [`answered ${answer.status}, expected 400`] : []), ...(await db.after(true))]);
    }
    const big = new FormData();
    big.set('file', new File([new Uint8Array(6 * 1024 * 1024).fill(0x41)], 'big.csv'));
    const tooBig = await call(() => importsRoute.POST(new Request('http://localhost/api/imports', { method: 'POST', headers: owner.headers, body: big })));
    report('POST /api/imports [6 MB]', [...restErrorProblems(tooBig), ...(tooBig.status !== 413 ? [`answered ${tooBig.status}, expected 413`] : []), ...(await db.after(true))]);
    expect(failures, failureReport('import fuzz', seed, failures)).toEqual([]);
  }, 180_000);

  // ── Webhooks ──────────────────────────────────────────────────────────────────────────────────────

  it('webhooks: unsigned, forged, stale and (signed with the real secret) hostile deliveries are refused with a 4xx and change nothing', async () => {
    const db = createDbTracker(world.app.handle);
    await db.start();
    const carriers = testCarriers();
    const now = new Date();
    const beijing = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const carrierBodies: Record<string, unknown> = {
      sf: { WaybillRoute: [{ id: 'fuzz-1', mailno: world.trackingNumber, acceptTime: beijing, opCode: '30', acceptAddress: '杭州' }] },
      jd: { eventId: 'fuzz-jd-1', waybillCode: 'JDVA00000000001', operateType: 'TRANSIT', operateTime: now.getTime(), operateSite: '杭州', temperatureList: [{ time: now.getTime(), value: 4 }] },
      sim: { events: [{ id: 'fuzz-sim-1', trackingNumber: 'SIM0000000001', type: 'in_transit', at: now.toISOString(), pod: { signer: '张三' } }] },
    };
    type Delivery = { carrier: string; signing: string; body: FuzzInput };
    const deliveryArb: fc.Arbitrary<Delivery> = fc.record({
      carrier: fc.constantFrom('sf', 'jd', 'sim', 'sf', 'sim', 'SF', '..%2f..', 'x'.repeat(300), '%00'),
      signing: fc.constantFrom('signed', 'signed', 'signed', 'unsigned', 'forged', 'stale'),
      body: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('sf', 'jd', 'sim').chain((c) => mutationArb(carrierBodies[c])) },
        { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON, ...HUGE_VALUES, ...HOSTILE_VALUES.slice(0, 8)).map((h) => fuzzInput(h.json, `whole body := ${h.label}`, null)) },
      ),
    });
    // Signed with the real secret, every text field of each carrier's body once with text PostgreSQL
    // cannot store, and once nested too deep: the parsers must refuse them, not fail the delivery.
    const textHostiles = HOSTILE_VALUES.filter((h) => /NUL inside|lone low|objects nested/.test(h.label));
    const signedExamples = Object.entries(carrierBodies).flatMap(([carrier, body]) =>
      nodePaths(body)
        .filter((p) => typeof p[p.length - 1] === 'string' && typeof leafAt(body, p) === 'string')
        .flatMap((p) => textHostiles.map((h) => [{ carrier, signing: 'signed', body: fuzzInput(renderWith(body, p, h.json), `${formatPath(p)} := ${h.label}`, null) }] as [Delivery])),
    );
    await fc.assert(
      fc.asyncProperty(deliveryArb, async (d) => {
        const adapter = carriers.get(d.carrier);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (adapter && d.signing !== 'unsigned') Object.assign(headers, adapter.sign(d.body.json, d.signing === 'stale' ? new Date(now.getTime() - 3600_000) : new Date()));
        if (adapter && d.signing === 'forged') headers[adapter.signatureHeader] = headers[adapter.signatureHeader]!.replace(/[A-Za-z0-9]{8}/, 'AAAAAAAA');
        const answer = await call(() => carrierWebhookRoute.POST(new Request(`http://localhost/api/webhooks/carriers/${d.carrier}`, { method: 'POST', headers, body: d.body.json }), { params: Promise.resolve({ carrier: d.carrier }) }));
        const problems = restErrorProblems(answer);
        if (d.signing !== 'signed' && answer.status < 400) problems.push(`a ${d.signing} delivery was accepted`);
        problems.push(...(await db.after(answer.status >= 400)));
        report(`POST /api/webhooks/carriers/${preview(d.carrier, 20)} [${d.signing}; ${d.body.label}] ${preview(d.body.json, 100)} → ${answer.status}`, problems);
      }),
      { numRuns: RUNS.webhooks + signedExamples.length, seed, examples: signedExamples },
    );

    const { webhookSecret } = appPaymentsConfig();
    const event = { id: 'evt_fuzz_0001', object: 'event', type: 'payment_intent.succeeded', created: Math.floor(now.getTime() / 1000), livemode: false, data: { object: { id: 'pi_fuzz_0001', object: 'payment_intent', amount: 100, amount_received: 100, currency: 'cny', status: 'succeeded', metadata: { orderId: world.ids.orderId![0] } } } };
    const paymentExamples = nodePaths(event)
      .filter((p) => typeof leafAt(event, p) === 'string')
      .flatMap((p) => textHostiles.map((h) => [{ signing: 'signed', body: fuzzInput(renderWith(event, p, h.json), `${formatPath(p)} := ${h.label}`, null) }] as [{ signing: string; body: FuzzInput }]));
    const paymentArb = fc.record({
      signing: fc.constantFrom('signed', 'signed', 'unsigned', 'forged', 'stale', 'malformed header'),
      body: fc.oneof({ weight: 4, arbitrary: mutationArb(event) }, { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_JSON, ...HUGE_VALUES).map((h) => fuzzInput(h.json, `whole body := ${h.label}`, null)) }),
    });
    await fc.assert(
      fc.asyncProperty(paymentArb, async (p) => {
        const t = Math.floor(Date.now() / 1000) - (p.signing === 'stale' ? 3600 : 0);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (p.signing === 'signed' || p.signing === 'stale') headers['stripe-signature'] = signatureHeader(webhookSecret!, t, p.body.json);
        if (p.signing === 'forged') headers['stripe-signature'] = `t=${t},v1=${'0'.repeat(64)}`;
        if (p.signing === 'malformed header') headers['stripe-signature'] = 't=abc,v1=';
        const answer = await call(() => paymentWebhookRoute.POST(new Request('http://localhost/api/webhooks/payments', { method: 'POST', headers, body: p.body.json })));
        const problems: string[] = answer.status >= 500 ? [`answered ${answer.status} ${preview(answer.text, 200)}`] : [];
        if (answer.status >= 400 && !(answer.json as { error?: { message?: string } } | null)?.error?.message) problems.push(`a ${answer.status} without an error message: ${preview(answer.text, 120)}`);
        if (p.signing !== 'signed' && answer.status < 400) problems.push(`a ${p.signing} event was accepted`);
        problems.push(...(await db.after(answer.status >= 400)));
        report(`POST /api/webhooks/payments [${p.signing}; ${p.body.label}] ${preview(p.body.json, 100)} → ${answer.status}`, problems);
      }),
      { numRuns: RUNS.webhooks + paymentExamples.length, seed, examples: paymentExamples },
    );
    expect(failures, failureReport('webhook fuzz', seed, failures)).toEqual([]);
  }, 180_000);

  // ── Ids and query parameters of the other GET handlers ───────────────────────────────────────────

  it('downloads, labels, import error reports and the OHLC export answer hostile ids and parameters with a 4xx, never a 5xx', async () => {
    const owner = keyOf('supplier/owner');
    const ownerKey = keyOf('supplier/api-key');
    const db = createDbTracker(world.app.handle);
    await db.start();
    const idArb = fc.oneof(fc.constantFrom(...TEXT_HOSTILES).map((h) => ({ label: h.label, id: hostileText(h) })), fc.string({ unit: 'binary', maxLength: 80 }).map((id) => ({ label: 'random text', id })));
    const params = (id: string) => ({ params: Promise.resolve({ id }) });
    const byId: [string, (id: string, headers: Headers) => Promise<Response>][] = [
      ['GET /api/uploads/:id', (id, h) => uploadRoute.GET(new Request('http://localhost/api/uploads/x', { headers: h }), params(id))],
      ['GET /api/lots/:id/label.png', (id, h) => labelPngRoute.GET(new Request('http://localhost/api/lots/x/label.png', { headers: h }), params(id))],
      ['GET /api/lots/:id/label.svg', (id, h) => labelSvgRoute.GET(new Request('http://localhost/api/lots/x/label.svg', { headers: h }), params(id))],
      ['GET /api/imports/:id/errors.csv', (id, h) => importErrorsRoute.GET(new Request('http://localhost/api/imports/x/errors.csv', { headers: h }), params(id))],
    ];
    // Every hostile text once (as the signed-in owner), then random ones by either caller.
    const everyHostile = TEXT_HOSTILES.map((h) => [{ label: h.label, id: hostileText(h) }, owner] as [{ label: string; id: string }, FuzzCaller]);
    for (const [name, handler] of byId) {
      await fc.assert(
        fc.asyncProperty(idArb, fc.constantFrom(owner, ownerKey), async ({ label, id }, caller) => {
          const answer = await call(() => handler(id, caller.headers));
          const problems = restErrorProblems(answer);
          if (answer.status < 400) problems.push(`answered ${answer.status} for a hostile id`);
          report(`${name} as ${caller.label} [id := ${label}] ${preview(JSON.stringify(id), 80)}`, problems);
        }),
        { numRuns: RUNS.params + everyHostile.length, seed, examples: everyHostile },
      );
    }
    // The OHLC export: hostile query parameters.
    const ohlcExamples = ['instrument', 'from', 'to', 'format'].flatMap((k) =>
      TEXT_HOSTILES.map((h) => {
        const values: Record<string, string> = { instrument: world.instrumentId, from: '2026-01-01', to: '2026-02-01', format: 'json' };
        values[k] = hostileText(h);
        return [paramsInput(Object.entries(values), `${k} := ${h.label}`, k), owner] as [ParamsInput, FuzzCaller];
      }),
    );
    const ohlcBase = fc.record({ instrument: fc.constantFrom(world.instrumentId, 'ins_00000000000000000000000000'), from: fc.constantFrom('2026-01-01', '2025-12-01'), to: fc.constantFrom('2026-02-01', '2026-03-01'), format: fc.constantFrom('json', 'csv') });
    await fc.assert(
      fc.asyncProperty(paramsArb(ohlcBase), fc.constantFrom(owner, ownerKey), async (input, caller) => {
        const url = new URL('http://localhost/api/market/ohlc');
        for (const [k, v] of input.params) url.searchParams.append(k, v);
        const answer = await call(() => ohlcRoute.GET(new Request(url, { headers: caller.headers })));
        const problems = restErrorProblems(answer);
        report(`GET /api/market/ohlc as ${caller.label} [${input.label}] ${preview(url.search, 120)}`, problems);
      }),
      { numRuns: RUNS.params * 2 + ohlcExamples.length, seed, examples: ohlcExamples },
    );
    report('GET handlers run', await db.after(true));
    expect(failures, failureReport('id and parameter fuzz', seed, failures)).toEqual([]);
  }, 180_000);

  // ── Sign-up and sign-in (better-auth's endpoints) ───────────────────────────────────────────────

  it('sign-up and sign-in answer hostile bodies with a 4xx JSON error, never a 5xx, and a refused one creates nobody', async () => {
    const db = createDbTracker(world.app.handle);
    await db.start();
    const bodies = fc.oneof(
      fc.integer({ min: 1, max: 1_000_000_000 }).chain((k) => mutationArb({ email: `fuzz-signup-${k}@example.cn`, password: 'correct-horse-42', name: '模糊测试' })).map((input) => ({ path: 'sign-up/email', input })),
      mutationArb({ email: 'nobody@example.cn', password: 'correct-horse-42' }).map((input) => ({ path: 'sign-in/email', input })),
      fc.constantFrom(...MALFORMED_JSON, ...HUGE_VALUES).map((h) => ({ path: 'sign-in/email', input: fuzzInput(h.json, `whole body := ${h.label}`, null) })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ({ path: endpoint, input }) => {
        // The auth handler's own origin (better-auth checks it); one client address per request, so its per-address limits stay out of the way.
        const headers = { 'content-type': 'application/json', origin: 'http://localhost:3000', 'x-forwarded-for': `10.9.${requests % 250}.${(requests >> 8) % 250}` };
        const answer = await call(() => authRoute.POST(new Request(`http://localhost:3000/api/auth/${endpoint}`, { method: 'POST', headers, body: input.json })));
        const problems: string[] = answer.status >= 500 ? [`answered ${answer.status} ${preview(answer.text, 200)}`] : [];
        if (answer.status >= 400 && typeof (answer.json as { message?: unknown } | null)?.message !== 'string') problems.push(`a ${answer.status} without a message: ${preview(answer.text, 120)}`);
        problems.push(...(await db.after(answer.status >= 400)));
        report(`POST /api/auth/${endpoint} [${input.label}] ${preview(input.json, 100)} → ${answer.status}`, problems);
      }),
      { numRuns: RUNS.auth, seed },
    );
    expect(failures, failureReport('auth fuzz', seed, failures)).toEqual([]);
  }, 120_000);

  // ── The payments sandbox ─────────────────────────────────────────────────────────────────────────

  it('the payments sandbox answers hostile forms with a 4xx error, never a 5xx', async () => {
    const { secretKey } = appPaymentsConfig();
    const db = createDbTracker(world.app.handle);
    await db.start();
    const formArb = fc.record({
      route: fc.constantFrom('payment_intents', 'payment_intents/pi_missing/confirm', 'payment_intents/pi_missing/capture', 'payment_intents/pi_missing/cancel', 'refunds'),
      fields: fc.array(
        fc.tuple(
          fc.constantFrom('amount', 'currency', 'confirm', 'capture_method', 'metadata[orderId]', 'payment_method', 'amount_to_capture', 'payment_intent', `metadata${'[a]'.repeat(2000)}`, 'expand[]', 'x'),
          fc.oneof(fc.constantFrom(...TEXT_HOSTILES.filter((h) => h.json.length < 100_000)).map(hostileText), fc.constantFrom('100', '-1', '1e309', 'cny', 'true', 'manual', 'pm_card_visa')),
        ),
        { maxLength: 6 },
      ),
    });
    await fc.assert(
      fc.asyncProperty(formArb, async (f) => {
        const body = new URLSearchParams(f.fields).toString();
        const answer = await call(() => sandboxRoute.POST(new Request(`http://localhost/api/payments-sandbox/v1/${f.route}`, { method: 'POST', headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body })));
        const problems: string[] = answer.status >= 500 ? [`answered ${answer.status} ${preview(answer.text, 200)}`] : [];
        if (answer.status >= 400 && !(answer.json as { error?: { message?: string } } | null)?.error?.message) problems.push(`a ${answer.status} without an error message`);
        problems.push(...(await db.after(answer.status >= 400)));
        report(`POST /api/payments-sandbox/v1/${f.route} ${preview(body, 120)} → ${answer.status}`, problems);
      }),
      { numRuns: RUNS.sandbox, seed },
    );
    expect(failures, failureReport('sandbox fuzz', seed, failures)).toEqual([]);
  }, 120_000);
});
