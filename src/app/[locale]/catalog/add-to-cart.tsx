'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { FormEvent } from 'react';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Input } from '@/components/ui/input.tsx';
import { Link } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

/** Quantity in kg (to the gram) and an add-to-cart button for one listing row. */
export function AddToCart({ listingId, minOrderG }: { listingId: string; minOrderG: number }) {
  const t = useTranslations('catalog.cart');
  const trpc = useTRPC();
  const add = useMutation(trpc.orders.addToCart.mutationOptions());
  const { byField, message } = fieldErrorsOf(add.error);
  const error = byField.grams ?? byField.listingId ?? message;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the field itself, so a quantity typed before the page hydrated counts too.
    const grams = Math.round(Number(new FormData(event.currentTarget).get('kg')) * 1000);
    add.mutate({ listingId, grams: Number.isFinite(grams) ? grams : 0 });
  }

  return (
    <form onSubmit={onSubmit} className="flex items-center justify-end gap-2" data-testid="add-to-cart">
      <label className="sr-only" htmlFor={`qty-${listingId}`}>
        {t('quantityKg')}
      </label>
      <Input id={`qty-${listingId}`} name="kg" inputMode="decimal" defaultValue={String(minOrderG / 1000)} className="w-24 text-right" aria-invalid={Boolean(error)} />
      <span className="text-xs text-stone-500">kg</span>
      <SubmitButton size="sm" disabled={add.isPending}>
        {t('add')}
      </SubmitButton>
      {add.isSuccess ? (
        <Link href="/cart" className="text-xs text-brand-700 hover:underline" data-testid="added-to-cart">
          {t('added')}
        </Link>
      ) : null}
      {error ? (
        <span role="alert" className="max-w-48 text-xs text-cinnabar-500">
          {error}
        </span>
      ) : null}
    </form>
  );
}
