/**
 * One application error for the whole platform. Domain code throws `AppError(code, message, details)`;
 * `errorHttpStatus` and `errorTrpcCode` turn the code into transport codes at the edges.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { http: 400, trpc: 'BAD_REQUEST' },
  VALIDATION: { http: 400, trpc: 'BAD_REQUEST' },
  UNAUTHENTICATED: { http: 401, trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { http: 403, trpc: 'FORBIDDEN' },
  NOT_FOUND: { http: 404, trpc: 'NOT_FOUND' },
  CONFLICT: { http: 409, trpc: 'CONFLICT' },
  INVALID_TRANSITION: { http: 409, trpc: 'CONFLICT' },
  LICENCE_REQUIRED: { http: 403, trpc: 'FORBIDDEN' },
  ORG_NOT_APPROVED: { http: 403, trpc: 'FORBIDDEN' },
  RATE_LIMITED: { http: 429, trpc: 'TOO_MANY_REQUESTS' },
  PRECONDITION_FAILED: { http: 412, trpc: 'PRECONDITION_FAILED' },
  PAYLOAD_TOO_LARGE: { http: 413, trpc: 'PAYLOAD_TOO_LARGE' },
  INTERNAL: { http: 500, trpc: 'INTERNAL_SERVER_ERROR' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type TrpcErrorCode = (typeof ERROR_CODES)[ErrorCode]['trpc'];

export interface AppErrorDetails {
  /** The input field the error is about, as a dotted path (`items.0.grams`). */
  field?: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: AppErrorDetails;

  constructor(code: ErrorCode, message: string, details: AppErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get field(): string | undefined {
    return this.details.field;
  }
}

export function errorHttpStatus(code: ErrorCode): number {
  return ERROR_CODES[code].http;
}

export function errorTrpcCode(code: ErrorCode): TrpcErrorCode {
  return ERROR_CODES[code].trpc;
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
