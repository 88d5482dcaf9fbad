import { describe, expect, it } from 'vitest';
import {
  captureIntentParams,
  createIntentParams,
  createRefundParams,
  listRefundsParams,
  parseStripeForm,
  requestFingerprint,
  type FormObject,
} from './form.core.ts';

function form(body: string): FormObject {
  const parsed = parseStripeForm(body);
  if (!parsed.ok) throw new Error(parsed.failure.error.message);
  return parsed.value;
}

describe('Stripe form decoding', () => {
  it('decodes bracket paths, indexed and pushed arrays, and percent-encoding', () => {
    expect(
      form('amount=12345&currency=cny&metadata[order_id]=ord_1&metadata[note]=%E9%BB%84%E8%8A%AA+x&expand[0]=latest_charge&allowed_payment_method_types[]=card'),
    ).toEqual({
      amount: '12345',
      currency: 'cny',
      metadata: { order_id: 'ord_1', note: '黄芪 x' },
      expand: ['latest_charge'],
      allowed_payment_method_types: ['card'],
    });
    expect(form('')).toEqual({});
  });

  it('refuses conflicting or repeated paths', () => {
    expect(parseStripeForm('a=1&a[b]=2').ok).toBe(false);
    expect(parseStripeForm('a[b]=2&a=1').ok).toBe(false);
    expect(parseStripeForm('a=1&a=2').ok).toBe(false);
    expect(parseStripeForm('a]=1').ok).toBe(false);
  });

  it('fingerprints ignore parameter order but not values, method or path', () => {
    const a = requestFingerprint('POST', '/v1/refunds', form('payment_intent=pi_1&amount=10'));
    expect(requestFingerprint('POST', '/v1/refunds', form('amount=10&payment_intent=pi_1'))).toBe(a);
    expect(requestFingerprint('POST', '/v1/refunds', form('amount=11&payment_intent=pi_1'))).not.toBe(a);
    expect(requestFingerprint('POST', '/v1/payment_intents', form('amount=10&payment_intent=pi_1'))).not.toBe(a);
  });
});

describe('endpoint parameters', () => {
  it('create: typed params with Stripe defaults', () => {
    const parsed = createIntentParams(form('amount=100&currency=CNY&capture_method=manual&confirm=true&payment_method=pm_card_visa&metadata[order_id]=ord_1'));
    expect(parsed).toEqual({
      ok: true,
      value: { amount: 100, currency: 'cny', captureMethod: 'manual', paymentMethod: 'pm_card_visa', confirm: true, metadata: { order_id: 'ord_1' }, description: null, expand: [] },
    });
    const defaults = createIntentParams(form('amount=100&currency=cny'));
    expect(defaults.ok && defaults.value).toMatchObject({ captureMethod: 'automatic_async', confirm: false, paymentMethod: null });
  });

  it.each([
    ['currency=cny', 'parameter_missing', 'amount'],
    ['amount=100', 'parameter_missing', 'currency'],
    ['amount=12.5&currency=cny', 'parameter_invalid_integer', 'amount'],
    ['amount=abc&currency=cny', 'parameter_invalid_integer', 'amount'],
    ['amount=0&currency=cny', 'parameter_invalid_integer', 'amount'],
    ['amount=100000000&currency=cny', 'amount_too_large', 'amount'],
    ['amount=100&currency=cny&surprise=1', 'parameter_unknown', 'surprise'],
    ['amount=100&currency=cny&allowed_payment_method_types[0]=paypal', 'payment_method_unactivated', 'allowed_payment_method_types'],
  ])('create refuses %s (%s on %s)', (body, code, param) => {
    const parsed = createIntentParams(form(body));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.failure).toMatchObject({ status: 400, error: { type: 'invalid_request_error', code, param } });
  });

  it('create refuses other currencies, bad booleans and enum values, oversized metadata', () => {
    for (const body of [
      'amount=100&currency=usd',
      'amount=100&currency=cny&confirm=yes',
      'amount=100&currency=cny&capture_method=later',
      `amount=100&currency=cny&metadata[${'k'.repeat(41)}]=v`,
      `amount=100&currency=cny&metadata[k]=${'v'.repeat(501)}`,
      'amount=100&currency=cny&expand[0]=customer',
    ]) {
      const parsed = createIntentParams(form(body));
      expect(parsed.ok, body).toBe(false);
    }
  });

  it('capture, refund and list parameters', () => {
    expect(captureIntentParams(form('amount_to_capture=500'))).toEqual({ ok: true, value: { amountToCapture: 500, expand: [] } });
    expect(captureIntentParams(form(''))).toEqual({ ok: true, value: { amountToCapture: null, expand: [] } });
    expect(createRefundParams(form('payment_intent=pi_1&amount=5&reason=duplicate'))).toEqual({
      ok: true,
      value: { paymentIntent: 'pi_1', charge: null, amount: 5, reason: 'duplicate', metadata: {} },
    });
    const neither = createRefundParams(form('amount=5'));
    expect(!neither.ok && neither.failure.error.code).toBe('parameter_missing');
    const both = createRefundParams(form('payment_intent=pi_1&charge=ch_1'));
    expect(!both.ok && both.failure.error.code).toBe('parameters_exclusive');
    expect(listRefundsParams(form('payment_intent=pi_1&limit=100'))).toEqual({ ok: true, value: { paymentIntent: 'pi_1', charge: null, limit: 100, startingAfter: null } });
    expect(listRefundsParams(form('limit=101')).ok).toBe(false);
  });
});
