'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { shanghai } from '@/lib/display-format.ts';
import { fenFromYuan, gramsFromKg } from '@/lib/input-format.ts';

const newKey = () => `bid-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Registration (capacity per lot) for a published tender. */
export function RegisterForm({ tenderId, lots }: { tenderId: string; lots: { id: string; label: string }[] }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [capacity, setCapacity] = useState<Record<string, string>>({});
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const register = useMutation(trpc.tenders.register.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrorsOf(register.error);
  const chosen = lots.filter((l) => (capacity[l.id] ?? '').trim() !== '');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setUploadError(null);
    const file = new FormData(event.currentTarget).get('document');
    const documents: { name: string; uploadId: string }[] = [];
    if (file instanceof File && file.size > 0) {
      setUploading(true);
      const body = new FormData();
      body.set('file', file);
      const res = await fetch('/api/uploads', { method: 'POST', body });
      setUploading(false);
      const json = (await res.json()) as { id?: string; error?: { message: string } };
      if (!res.ok || !json.id) {
        setUploadError(json.error?.message ?? res.statusText);
        return;
      }
      documents.push({ name: file.name, uploadId: json.id });
    }
    register.mutate({ tenderId, lots: chosen.map((l) => ({ lotId: l.id, capacityG: gramsFromKg(capacity[l.id] ?? '') })), documents });
  }

  return (
    <form className="space-y-2" onSubmit={(e) => void onSubmit(e)} data-testid="register-form">
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      {uploadError ? <Alert tone="danger">{uploadError}</Alert> : null}
      {Object.values(errors.byField)[0] ? <Alert tone="danger">{Object.values(errors.byField)[0]}</Alert> : null}
      <p className="text-xs text-stone-500">{t('registerHint')}</p>
      {lots.map((l) => (
        <Field key={l.id} id={`cap-${l.id}`} label={`${l.label} · ${t('capacityKg')}`}>
          <Input id={`cap-${l.id}`} inputMode="decimal" value={capacity[l.id] ?? ''} onChange={(e) => setCapacity((all) => ({ ...all, [l.id]: e.target.value }))} />
        </Field>
      ))}
      <Field id="register-document" label={t('documents')}>
        <Input id="register-document" name="document" type="file" accept="application/pdf,image/jpeg,image/png" />
      </Field>
      <SubmitButton disabled={register.isPending || uploading || chosen.length === 0} data-testid="register-submit">
        {t('register')}
      </SubmitButton>
    </form>
  );
}

/** A sealed bid in ¥/kg (sent as integer fen/kg); the answer is the receipt with the commitment. */
/** `initialLotId`: the lot selected first (the first one still without a bid). */
export function BidForm({ tenderId, lots, initialLotId }: { tenderId: string; lots: { id: string; label: string }[]; initialLotId?: string | undefined }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [lotId, setLotId] = useState(initialLotId ?? lots[0]?.id ?? '');
  const [price, setPrice] = useState('');
  const key = useRef(newKey());
  const bid = useMutation(
    trpc.tenders.submitBid.mutationOptions({
      onSuccess: () => {
        key.current = newKey();
        setPrice('');
        router.refresh();
      },
    }),
  );
  const errors = fieldErrorsOf(bid.error);
  const receipt = bid.data;
  // A price that does not read as yuan to the fen (empty, negative, three decimals) is named here, not sent.
  const [badPrice, setBadPrice] = useState(false);
  return (
    <div className="space-y-3">
      <form className="grid gap-3 md:grid-cols-3" onSubmit={(e) => {
          e.preventDefault();
          const fenPerKg = fenFromYuan(price);
          setBadPrice(!(fenPerKg > 0));
          if (fenPerKg > 0) bid.mutate({ tenderId, lotId, fenPerKg, idempotencyKey: key.current });
          else bid.reset();
        }} data-testid="bid-form">
        <Field id="bid-lot" label={t('lotNo')} error={errors.byField.lotId}>
          <Select id="bid-lot" value={lotId} onChange={(e) => setLotId(e.target.value)}>
            {lots.map((l) => (
              <option key={l.id} value={l.id}>
                {l.label}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="bid-price" label={t('bidPrice')} error={badPrice ? t('badBidPrice') : errors.byField.fenPerKg} hint={t('bidHint')}>
          <Input id="bid-price" inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} autoComplete="off" data-testid="bid-price" />
        </Field>
        <div className="flex items-end">
          <SubmitButton disabled={bid.isPending} data-testid="bid-submit">
            {t('submitBid')}
          </SubmitButton>
        </div>
      </form>
      {errors.message || errors.byField.tenderId || errors.byField.supplierOrgId ? <Alert tone="danger">{errors.message ?? errors.byField.tenderId ?? errors.byField.supplierOrgId}</Alert> : null}
      {receipt ? (
        <Alert tone="success" title={t('receipt')}>
          <dl className="space-y-1 font-mono text-xs" data-testid="bid-receipt">
            <div>
              <dt className="inline text-stone-500">{t('commitment')}: </dt>
              <dd className="inline break-all">{receipt.commitment}</dd>
            </div>
            {receipt.nonce ? (
              <div>
                <dt className="inline text-stone-500">{t('nonce')}: </dt>
                <dd className="inline break-all">{receipt.nonce}</dd>
              </div>
            ) : null}
            <div>
              <dt className="inline text-stone-500">{t('submittedAt')}: </dt>
              <dd className="inline">{shanghai(receipt.submittedAt)}</dd>
            </div>
          </dl>
          <p className="mt-2 text-xs">{t('receiptHint')}</p>
        </Alert>
      ) : null}
    </div>
  );
}
