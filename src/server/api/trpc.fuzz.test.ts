import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter } from './root.ts';
import * as trpcRoute from '../../app/api/trpc/[trpc]/route.ts';
import { callersFor, createDbTracker, createFuzzWorld, failureReport, fuzzRuns, fieldFits, fuzzSeed, idHints, messageProblems, readAnswer, type Answer, type FuzzCaller, type FuzzWorld } from '../testing/fuzz-harness.ts';
import { fuzzInput, fuzzInputArb, HUGE_VALUES, inputJsonSchema, mutatedPath, preview, wrongShapeArb, type FuzzInput, type Verdict, verdictFor } from '../testing/hostile-input.core.ts';

/**
 * Every tRPC procedure of `appRouter` (enumerated from the router) is sent hostile input through the
 * real HTTP route handler — GET for queries and subscriptions, POST for mutations — as a caller whose
 * session or API key gets past the procedure's permission check, so the input parser is reached.
 * Inputs are derived from the procedure's own zod schema (src/server/testing/hostile-input.core.ts):
 * near-valid values with one field made hostile, and wholly wrong shapes; the 1 MB string and the
 * 10,000-deep nestings are sent to every procedure. The answer must be a 4xx with a JSON error, a clear
 * message and (for a bad field) that field's name — never a 5xx — and a refused request must leave the
 * database exactly as it was (a fingerprint of every table after every mutation, and after each
 * query's batch).
 */

/** Generated inputs per procedure (plus the huge ones, sent to every procedure). Bounded for CI time. */
const RUNS_PER_PROCEDURE = fuzzRuns(8);

interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  schema: z.ZodType | undefined;
}

const procedures: Procedure[] = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: Procedure['type']; inputs: z.ZodType[] } }>).map(([path, p]) => ({
  path,
  type: p._def.type,
  schema: p._def.inputs[0],
}));

let world: FuzzWorld;

beforeAll(async () => {
  world = await createFuzzWorld();
}, 180_000);

afterAll(async () => {
  await world?.close();
});

function trpcRequest(p: Procedure, json: string | null, caller: FuzzCaller, lang: 'zh' | 'en', method = p.type === 'mutation' ? 'POST' : 'GET'): Request {
  const url = new URL(`http://localhost/api/trpc/${p.path}`);
  const headers = new Headers(caller.headers);
  headers.set('accept-language', lang);
  if (method === 'POST') {
    headers.set('content-type', 'application/json');
    return new Request(url, { method, headers, body: json ?? '' });
  }
  const query = json === null || json === '' ? '' : `?input=${encodeURIComponent(json)}`;
  return new Request(`${url.href}${query}`, { headers });
}

async function send(req: Request): Promise<Answer> {
  const handler = req.method === 'POST' ? trpcRoute.POST : trpcRoute.GET;
  return readAnswer(await handler(req));
}

interface TrpcError {
  message?: unknown;
  data?: { code?: string; field?: unknown; httpStatus?: number };
}

/** The error of a tRPC answer: the JSON body's `error`, or the first error event of a stream. */
function errorOf(answer: Answer): TrpcError | null {
  const body = answer.json as { error?: TrpcError } | null;
  if (body?.error) return body.error;
  const event = /event: serialized-error\ndata: (.*)\n/.exec(answer.text);
  if (event) {
    try {
      return JSON.parse(event[1]!) as TrpcError;
    } catch {
      return null;
    }
  }
  return null;
}

/** The status the answer stands for (a stream answers 200 and carries its error as an event). */
const statusOf = (answer: Answer, error: TrpcError | null) => (answer.status === 200 && error?.data?.httpStatus ? error.data.httpStatus : answer.status);

function judge(answer: Answer, verdict: Verdict, input: FuzzInput): string[] {
  const error = errorOf(answer);
  const status = statusOf(answer, error);
  const problems: string[] = [];
  if (status >= 500 || error?.data?.code === 'INTERNAL_SERVER_ERROR') problems.push(`answered ${status} ${error?.data?.code ?? ''} ${preview(String(error?.message ?? answer.text), 200)}`);
  else if (!verdict.ok) {
    if (status !== 400 && status !== 413) problems.push(`expected 400 (${verdict.reason}: ${verdict.fields.join(', ') || 'not JSON'}), got ${status} ${preview(answer.text, 200)}`);
    else if (!error) problems.push(`no JSON error body: ${preview(answer.text, 200)}`);
    else {
      problems.push(...messageProblems(error.message));
      if (status === 400 && !fieldFits(error.data?.field, verdict, mutatedPath(input.mutation))) problems.push(`named field ${JSON.stringify(error.data?.field)}, expected one of ${verdict.fields.join(', ')}`);
    }
  } else if (status >= 400) {
    if (!error) problems.push(`a ${status} without a JSON error body: ${preview(answer.text, 200)}`);
    else problems.push(...messageProblems(error.message));
  }
  return problems;
}

/**
 * What the procedure must answer. Over HTTP an empty POST body is not JSON (a mutation with input then
 * refuses it); a procedure without input ignores a body it cannot parse, as tRPC's own client sends
 * none for such a mutation.
 */
function verdictOf(p: Procedure, json: string): Verdict {
  if (!p.schema) {
    const verdict = verdictFor(z.unknown(), json);
    return !verdict.ok && verdict.reason === 'json' ? { ok: true, value: undefined } : verdict;
  }
  if (json === '' && p.type === 'mutation') return { ok: false, reason: 'json', fields: [] };
  return verdictFor(p.schema, json);
}

/** The first caller that gets past the procedure's permission checks to its input parser (or, without input, to an answer). */
async function reachingCaller(p: Procedure): Promise<FuzzCaller | null> {
  for (const caller of callersFor(p.path, world.callers)) {
    const answer = await send(trpcRequest(p, p.schema ? JSON.stringify('fuzz-probe') : null, caller, 'en'));
    const error = errorOf(answer);
    const status = statusOf(answer, error);
    if (p.schema ? status === 400 && error?.data?.code === 'BAD_REQUEST' : status < 400) return caller;
  }
  return null;
}

describe('tRPC input fuzzing', () => {
  it('every procedure answers hostile input with a 4xx naming the field, never a 5xx, and a refused request changes nothing', async () => {
    const started = performance.now();
    const seed = fuzzSeed();
    const failures: string[] = [];
    const stats = { procedures: 0, requests: 0, refused: 0, accepted: 0 };
    const db = createDbTracker(world.app.handle);
    await db.start();
    const slowest: [string, number][] = [];
    const hints = idHints(world);

    for (const [index, p] of procedures.entries()) {
      const caller = await reachingCaller(p);
      if (!caller) {
        failures.push(`${p.path}: no caller of the fuzz world reaches its input parser`);
        continue;
      }
      stats.procedures += 1;
      const json = p.schema ? inputJsonSchema(p.schema) : { type: 'object' };
      const arb = p.schema ? fuzzInputArb(json, hints) : wrongShapeArb(json, hints);
      const examples = HUGE_VALUES.map((h) => [fuzzInput(h.json, `whole input := ${h.label}`, null)] as [FuzzInput]);
      let run = 0;
      // The probe was refused (a procedure with input) or answered (one without): checked like any request.
      for (const problem of await db.after(Boolean(p.schema))) failures.push(`${p.type} ${p.path} probe: ${problem}`);
      const procedureStarted = performance.now();
      await fc.assert(
        fc.asyncProperty(arb, async (input) => {
          run += 1;
          const answer = await send(trpcRequest(p, input.json, caller, run % 2 ? 'zh' : 'en'));
          stats.requests += 1;
          const verdict = verdictOf(p, input.json);
          const where = `${p.type} ${p.path} as ${caller.label} [${input.label}] ${preview(input.json, 120)}`;
          const problems = judge(answer, verdict, input);
          const refused = answer.status >= 400 || errorOf(answer) !== null;
          if (refused) stats.refused += 1;
          else stats.accepted += 1;
          // A mutation is checked after every request; queries (which never write) once per procedure, below.
          if (p.type === 'mutation') problems.push(...(await db.after(refused)));
          for (const problem of problems) failures.push(`${where}: ${problem}`);
        }),
        { numRuns: RUNS_PER_PROCEDURE, seed: seed + index, examples },
      );
      slowest.push([p.path, performance.now() - procedureStarted]);
      if (p.type !== 'mutation') for (const problem of await db.after(true)) failures.push(`${p.type} ${p.path}: ${problem} while answering hostile input`);
      // The wrong method: a query posted, a mutation fetched with GET. (tRPC serves a subscription's
      // event stream to either method; it refuses a bad input inside the stream, judged above.)
      if (p.type !== 'subscription') {
        const wrong = await send(trpcRequest(p, '{}', caller, 'en', p.type === 'mutation' ? 'GET' : 'POST'));
        stats.requests += 1;
        if (wrong.status < 400 || wrong.status >= 500) failures.push(`${p.path} with the wrong HTTP method: ${wrong.status} ${preview(wrong.text, 160)}`);
      }
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `tRPC fuzz: ${stats.procedures}/${procedures.length} procedures × (${RUNS_PER_PROCEDURE} generated + ${HUGE_VALUES.length} huge + 1 wrong method) = ${stats.requests} requests in ${seconds} s ` +
        `(seed ${seed}; ${stats.refused} refused, ${stats.accepted} accepted; database fingerprints took ${(db.ms / 1000).toFixed(1)} s)`,
    );
    if (process.env.FUZZ_TIMINGS) console.log(slowest.sort((a, b) => b[1] - a[1]).slice(0, 15).map(([path, ms]) => `${path} ${Math.round(ms)} ms`).join('\n'));
    expect(failures, failureReport('tRPC fuzz', seed, failures)).toEqual([]);
  }, 600_000);
});
