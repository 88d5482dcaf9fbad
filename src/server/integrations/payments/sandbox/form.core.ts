import { canonicalSha256 } from '../../../../lib/canonical-json.ts';
import {
  CANCELLATION_REASONS,
  MAX_AMOUNT_FEN,
  REFUND_REASONS,
  formatFen,
  invalidRequest,
  type CancellationReason,
  type CaptureMethod,
  type CoreResult,
  type CreateIntentParams,
  type RefundReason,
} from './sandbox.core.ts';

/**
 * Stripe's request encoding, pure: `application/x-www-form-urlencoded` with bracket paths
 * (`metadata[order_id]=…`, `expand[0]=latest_charge`, `payment_method_types[]=card`), decoded into
 * nested values, then validated per endpoint into typed params with Stripe's error messages and codes.
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const KEY_SHAPE = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

/** Decodes a Stripe form body (or query string). Conflicting paths (`a=1&a[b]=2`) are an error. */
export function parseStripeForm(body: string): CoreResult<FormObject> {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const match = KEY_SHAPE.exec(rawKey);
    if (!match) return invalidRequest(`Invalid parameter name: ${rawKey}`, { param: rawKey });
    const path = [match[1]!, ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: FormObject = root;
    for (let i = 0; i < path.length; i += 1) {
      let segment = path[i]!;
      if (segment === '') segment = String(Object.keys(node).length);
      const last = i === path.length - 1;
      const existing = node[segment];
      if (last) {
        if (existing !== undefined) return invalidRequest(`Parameter ${rawKey} was given more than once`, { param: rawKey });
        node[segment] = value;
      } else {
        if (existing === undefined) {
          const child: FormObject = {};
          node[segment] = child;
          node = child;
        } else if (typeof existing === 'object' && !Array.isArray(existing)) {
          node = existing;
        } else {
          return invalidRequest(`Invalid parameter structure for ${rawKey}`, { param: rawKey });
        }
      }
    }
  }
  return { ok: true, value: arraysFromIndexes(root) as FormObject };
}

/** Objects whose keys are exactly 0…n-1 become arrays (Stripe's indexed array encoding). */
function arraysFromIndexes(value: FormValue): FormValue {
  if (typeof value === 'string' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const converted: FormObject = {};
  for (const key of keys) converted[key] = arraysFromIndexes(value[key]!);
  const isArray = keys.length > 0 && keys.every((k, i) => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) === i);
  if (!isArray) return converted;
  return keys.map((k) => converted[k]!);
}

/** Idempotency fingerprint: the same method, path and parameters (in any order) give the same hash. */
export function requestFingerprint(method: string, path: string, params: FormObject): string {
  return canonicalSha256({ method: method.toUpperCase(), path, params });
}

// ---------------------------------------------------------------------------------------------------
// Field readers

type Fail = Extract<CoreResult<never>, { ok: false }>;

class ParamError extends Error {
  constructor(readonly result: Fail) {
    super(result.failure.error.message);
  }
}

function raise(result: Fail): never {
  throw new ParamError(result);
}

function run<T>(build: () => T): CoreResult<T> {
  try {
    return { ok: true, value: build() };
  } catch (error) {
    if (error instanceof ParamError) return error.result;
    throw error;
  }
}

function onlyKnown(form: FormObject, known: readonly string[]): void {
  for (const key of Object.keys(form)) {
    if (!known.includes(key)) raise(invalidRequest(`Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key }));
  }
}

function str(form: FormObject, name: string): string | null {
  const value = form[name];
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string') raise(invalidRequest(`Invalid string: ${name} must be a string`, { param: name }));
  return value;
}

function required<T>(value: T | null, name: string): T {
  if (value === null) raise(invalidRequest(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name }));
  return value;
}

function integer(form: FormObject, name: string): number | null {
  const value = str(form, name);
  if (value === null) return null;
  if (!/^-?[0-9]+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    raise(invalidRequest(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param: name }));
  }
  return Number(value);
}

function amount(form: FormObject, name: string): number | null {
  const value = integer(form, name);
  if (value === null) return null;
  if (value < 1) raise(invalidRequest('This value must be greater than or equal to 1.', { code: 'parameter_invalid_integer', param: name }));
  if (value > MAX_AMOUNT_FEN) {
    raise(invalidRequest(`Amount must be no more than ${formatFen(MAX_AMOUNT_FEN)}`, { code: 'amount_too_large', param: name }));
  }
  return value;
}

function bool(form: FormObject, name: string): boolean | null {
  const value = str(form, name);
  if (value === null) return null;
  if (value !== 'true' && value !== 'false') raise(invalidRequest(`Invalid boolean: ${value}`, { param: name }));
  return value === 'true';
}

function oneOf<T extends string>(form: FormObject, name: string, allowed: readonly T[]): T | null {
  const value = str(form, name);
  if (value === null) return null;
  if (!(allowed as readonly string[]).includes(value)) {
    raise(invalidRequest(`Invalid ${name}: must be one of ${allowed.join(', ')}`, { param: name }));
  }
  return value as T;
}

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
function metadata(form: FormObject): Record<string, string> {
  const value = form.metadata;
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) raise(invalidRequest('Invalid object', { param: 'metadata' }));
  const out: Record<string, string> = {};
  const keys = Object.keys(value);
  if (keys.length > 50) raise(invalidRequest('You can specify up to 50 keys in metadata.', { param: 'metadata' }));
  for (const key of keys) {
    const item = value[key];
    if (typeof item !== 'string') raise(invalidRequest(`Invalid string: metadata[${key}]`, { param: `metadata[${key}]` }));
    if (key.length > 40) raise(invalidRequest(`Metadata keys can have up to 40 characters; "${key}" has ${key.length}.`, { param: `metadata[${key}]` }));
    if (item.length > 500) raise(invalidRequest(`Metadata values can have up to 500 characters.`, { param: `metadata[${key}]` }));
    if (item !== '') out[key] = item;
  }
  return out;
}

/** `expand[]`: the list of paths to expand; the sandbox supports `latest_charge` on intents. */
function expand(form: FormObject, supported: readonly string[]): string[] {
  const value = form.expand;
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.some((v) => typeof v !== 'string')) raise(invalidRequest('Invalid array', { param: 'expand' }));
  const paths = list as string[];
  for (const path of paths) {
    if (!supported.includes(path)) raise(invalidRequest(`This property cannot be expanded (${path}).`, { param: 'expand' }));
  }
  return paths;
}

const SANDBOX_METHOD_TYPES: readonly string[] = ['card', 'alipay', 'wechat_pay'];

/** `allowed_payment_method_types[]` (API 2026-10+) or the older `payment_method_types[]`: card and the two wallets. */
function paymentMethodTypes(form: FormObject, name: 'allowed_payment_method_types' | 'payment_method_types'): void {
  const value = form[name];
  if (value === undefined) return;
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (!list || list.some((v) => !SANDBOX_METHOD_TYPES.includes(v as string))) {
    raise(invalidRequest(`The sandbox supports the payment method types ${SANDBOX_METHOD_TYPES.join(', ')}.`, { code: 'payment_method_unactivated', param: name }));
  }
}

// ---------------------------------------------------------------------------------------------------
// Endpoint parameters

const CAPTURE_METHODS: readonly CaptureMethod[] = ['automatic', 'automatic_async', 'manual'];
/** The sandbox settles in CNY only (the platform's currency; minor unit: fen). */
export const SANDBOX_CURRENCIES = ['cny'] as const;

export function createIntentParams(form: FormObject): CoreResult<CreateIntentParams & { expand: string[] }> {
  return run(() => {
    onlyKnown(form, [
      'amount',
      'currency',
      'capture_method',
      'confirm',
      'payment_method',
      'allowed_payment_method_types',
      'payment_method_types',
      'metadata',
      'description',
      'expand',
    ]);
    const amt = required(amount(form, 'amount'), 'amount');
    const currency = required(str(form, 'currency'), 'currency').toLowerCase();
    if (!(SANDBOX_CURRENCIES as readonly string[]).includes(currency)) {
      raise(invalidRequest(`Invalid currency: ${currency}. The sandbox supports ${SANDBOX_CURRENCIES.join(', ')}.`, { param: 'currency' }));
    }
    paymentMethodTypes(form, 'allowed_payment_method_types');
    paymentMethodTypes(form, 'payment_method_types');
    return {
      amount: amt,
      currency,
      captureMethod: oneOf(form, 'capture_method', CAPTURE_METHODS) ?? 'automatic_async',
      paymentMethod: str(form, 'payment_method'),
      confirm: bool(form, 'confirm') ?? false,
      metadata: metadata(form),
      description: str(form, 'description'),
      expand: expand(form, ['latest_charge']),
    };
  });
}

export function retrieveIntentParams(form: FormObject): CoreResult<{ expand: string[] }> {
  return run(() => {
    onlyKnown(form, ['expand', 'client_secret']);
    return { expand: expand(form, ['latest_charge']) };
  });
}

export function confirmIntentParams(form: FormObject): CoreResult<{ paymentMethod: string | null; expand: string[] }> {
  return run(() => {
    onlyKnown(form, ['payment_method', 'expand']);
    return { paymentMethod: str(form, 'payment_method'), expand: expand(form, ['latest_charge']) };
  });
}

export function captureIntentParams(form: FormObject): CoreResult<{ amountToCapture: number | null; expand: string[] }> {
  return run(() => {
    onlyKnown(form, ['amount_to_capture', 'expand']);
    return { amountToCapture: amount(form, 'amount_to_capture'), expand: expand(form, ['latest_charge']) };
  });
}

export function cancelIntentParams(form: FormObject): CoreResult<{ reason: CancellationReason | null; expand: string[] }> {
  return run(() => {
    onlyKnown(form, ['cancellation_reason', 'expand']);
    return { reason: oneOf(form, 'cancellation_reason', CANCELLATION_REASONS), expand: expand(form, ['latest_charge']) };
  });
}

export interface CreateRefundParams {
  paymentIntent: string | null;
  charge: string | null;
  amount: number | null;
  reason: RefundReason | null;
  metadata: Record<string, string>;
}

export function createRefundParams(form: FormObject): CoreResult<CreateRefundParams> {
  return run(() => {
    onlyKnown(form, ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand']);
    expand(form, []);
    const paymentIntent = str(form, 'payment_intent');
    const charge = str(form, 'charge');
    if (paymentIntent === null && charge === null) {
      raise(invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', param: 'payment_intent' }));
    }
    if (paymentIntent !== null && charge !== null) {
      raise(invalidRequest('You may only specify one of these parameters: payment_intent, charge.', { code: 'parameters_exclusive', param: 'charge' }));
    }
    return { paymentIntent, charge, amount: amount(form, 'amount'), reason: oneOf(form, 'reason', REFUND_REASONS), metadata: metadata(form) };
  });
}

export function listRefundsParams(form: FormObject): CoreResult<{ paymentIntent: string | null; charge: string | null; limit: number; startingAfter: string | null }> {
  return run(() => {
    onlyKnown(form, ['payment_intent', 'charge', 'limit', 'starting_after']);
    const limit = integer(form, 'limit') ?? 10;
    if (limit < 1 || limit > 100) raise(invalidRequest('This value must be between 1 and 100.', { code: 'parameter_invalid_integer', param: 'limit' }));
    return { paymentIntent: str(form, 'payment_intent'), charge: str(form, 'charge'), limit, startingAfter: str(form, 'starting_after') };
  });
}
