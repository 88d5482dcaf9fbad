/** Field errors carried by a tRPC error (see the error formatter in src/server/api/trpc.ts). */
export interface ClientFieldErrors {
  byField: Record<string, string>;
  message: string | null;
}

interface TrpcLikeError {
  message?: string;
  data?: { fieldErrors?: { field: string; message: string }[] | null } | null;
}

export function fieldErrorsOf(error: unknown): ClientFieldErrors {
  if (!error || typeof error !== 'object') return { byField: {}, message: null };
  const e = error as TrpcLikeError;
  const byField: Record<string, string> = {};
  for (const fe of e.data?.fieldErrors ?? []) byField[fe.field] ??= fe.message;
  const hasFields = Object.keys(byField).length > 0;
  return { byField, message: hasFields ? null : (e.message ?? null) };
}
