'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Link } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { checkKgQuantity } from './quantity-kg.core.ts';
import { useKgQuantityMessage } from './quantity-message.ts';

/**
 * Quantity in kg (to the gram) and an add-to-cart button for one listing row. The quantity is checked
 * here first (a number above 0, at most 3 decimals, not below the minimum order, not above the stock)
 * and the problem is shown under the field; the server's answer about it is shown there too.
 */
export function AddToCart({ listingId, minOrderG, availableG }: { listingId: string; minOrderG: number; availableG?: number }) {
  const t = useTranslations('catalog.cart');
  const quantityMessage = useKgQuantityMessage();
  const trpc = useTRPC();
  const add = useMutation(trpc.orders.addToCart.mutationOptions());
  const [problem, setProblem] = useState<string | null>(null);
  const { byField, message } = fieldErrorsOf(add.error);
  const error = problem ?? byField.grams ?? byField.listingId ?? message;
  const inputId = `qty-${listingId}`;
  const errorId = `${inputId}-error`;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the field itself, so a quantity typed before the page hydrated counts too.
    // The minimum order applies to the cart line after adding (the server checks it): a buyer may top up a line already above it.
    const checked = checkKgQuantity(String(new FormData(event.currentTarget).get('kg') ?? ''), { availableG });
    if (!checked.ok) {
      add.reset();
      setProblem(quantityMessage(checked.problem));
      return;
    }
    setProblem(null);
    add.mutate({ listingId, grams: checked.grams });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="relative flex flex-col items-end gap-1" data-testid="add-to-cart">
      <div className="flex items-center justify-end gap-2">
        <label className="sr-only" htmlFor={inputId}>
          {t('quantityKg')}
        </label>
        <Input
          id={inputId}
          name="kg"
          inputMode="decimal"
          defaultValue={String(minOrderG / 1000)}
          className="w-24 text-right"
          aria-invalid={Boolean(error)}
          aria-describedby={error ? errorId : undefined}
          onChange={() => {
            if (problem) setProblem(null);
            if (add.error) add.reset();
          }}
        />
        <span className="text-xs text-stone-500">kg</span>
        <SubmitButton size="sm" disabled={add.isPending} className="whitespace-nowrap">
          {t('add')}
        </SubmitButton>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="w-max max-w-72 text-right text-xs text-cinnabar-500" data-testid="add-to-cart-error">
          {error}
        </p>
      ) : add.isSuccess ? (
        <Link href="/cart" className="text-xs text-brand-700 hover:underline" data-testid="added-to-cart">
          {t('added')}
        </Link>
      ) : null}
    </form>
  );
}
