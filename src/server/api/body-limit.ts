import { AppError } from '../../lib/errors.ts';
import { msg } from '../../lib/messages.ts';
import { appErrorResponse } from './http-error.ts';

/** The most a JSON request body may carry (tRPC, REST v1, webhooks): far above any real document. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export function bodyTooLarge(maxBytes: number, field = 'body'): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', msg('request.tooLarge', { max: megabytes(maxBytes) }), { field });
}

/**
 * The request with its body read into memory while it streams, never past `maxBytes`: a declared
 * Content-Length above the limit is refused before anything is read, and a body that grows past it
 * (chunked, or shorter than it claimed) is cancelled there. Throws `tooLarge()` (an AppError).
 */
export async function bufferedWithin(req: Request, maxBytes: number, tooLarge: () => AppError = () => bodyTooLarge(maxBytes)): Promise<Request> {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return req;
  const declared = Number(req.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await req.body.cancel().catch(() => {});
    throw tooLarge();
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}

/** Room for the multipart boundaries and part headers around an uploaded file. */
const MULTIPART_ENVELOPE_BYTES = 64 * 1024;

/**
 * A multipart form read while it streams, never past a file of `maxFileBytes` plus its envelope
 * (`tooLarge()` beyond); a body that is not a form throws `notAForm()`.
 */
export async function formWithin(req: Request, maxFileBytes: number, tooLarge: () => AppError, notAForm: () => AppError): Promise<FormData> {
  const body = await bufferedWithin(req, maxFileBytes + MULTIPART_ENVELOPE_BYTES, tooLarge);
  try {
    return await body.formData();
  } catch {
    throw notAForm();
  }
}

/** A JSON endpoint's body (REST v1, webhooks), within MAX_JSON_BODY_BYTES; a larger one is answered 413 `{"error":{…}}`. */
export async function limitJsonBody(req: Request): Promise<Request | Response> {
  try {
    return await bufferedWithin(req, MAX_JSON_BODY_BYTES);
  } catch (error) {
    if (error instanceof AppError) return appErrorResponse(req, error);
    throw error;
  }
}
