'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { useHydrated } from '@/components/use-hydrated.ts';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { PRODUCT_GRADES, type ProductGrade } from '@/server/domains/catalog/products.core.ts';
import { LISTING_CERTIFICATES, type ListingCertificate } from '@/server/integrations/search/search.documents.ts';
import { fenFromYuan, gramsFromKg } from '@/lib/input-format.ts';
import { kg, yuanPerKg } from '../format.ts';
import { expiresAtOfDay, orderFormProblems, parseOrigins, placedOutcome } from '../market-view.core.ts';

export interface SellableLotOption {
  lotId: string;
  batchNo: string;
  origin: string;
  grade: string;
  freeG: number;
  expiryDate: string;
}

type Side = 'buy' | 'sell';
type Funding = 'card' | 'net_terms';

const newKey = () => `mkt-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
/** Grades from the lowest up, as the buyer's minimum reads them. */
const GRADES_UP: readonly ProductGrade[] = ['ungraded', 'graded', 'selected'];

/**
 * Places a limit order on the instrument. A sell names one of the organisation's lots that can back it
 * (free grams shown); a buy says how it is funded and may require origins, a minimum grade and a
 * certificate. GTC orders may expire at the end of a chosen day (China time). Amounts are typed in kg
 * and ¥/kg and sent as integer grams and fen per kg; the server's field errors show next to the fields.
 */
export function OrderForm({ instrumentId, lots, halted, today, lastExpiryDay }: { instrumentId: string; lots: readonly SellableLotOption[]; halted: boolean; today: string; lastExpiryDay: string }) {
  const t = useTranslations('market.form');
  const tc = useTranslations('catalog');
  const trpc = useTRPC();
  const router = useRouter();
  const key = useRef(newKey());
  // A seller with lots for this instrument mostly sells; everyone else buys.
  const [side, setSide] = useState<Side>(lots.length > 0 ? 'sell' : 'buy');
  const hydrated = useHydrated();
  const [qtyKg, setQtyKg] = useState('');
  const [priceYuan, setPriceYuan] = useState('');
  const [tif, setTif] = useState<'GTC' | 'IOC'>('GTC');
  const [lotId, setLotId] = useState(lots[0]?.lotId ?? '');
  const [funding, setFunding] = useState<Funding>('card');
  const [origins, setOrigins] = useState('');
  const [minGrade, setMinGrade] = useState<ProductGrade | ''>('');
  const [certificate, setCertificate] = useState<ListingCertificate | ''>('');
  const [expiresOn, setExpiresOn] = useState('');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const place = useMutation(
    trpc.market.place.mutationOptions({
      onSuccess: () => {
        key.current = newKey();
        setQtyKg('');
        router.refresh();
      },
      // The server refused the command (nothing was written): the next attempt is a new request.
      onError: (error) => {
        if (error.data) key.current = newKey();
      },
    }),
  );
  const server = fieldErrorsOf(place.error);
  const errorOf = (field: string): string | undefined =>
    localErrors[field] ?? server.byField[field] ?? Object.entries(server.byField).find(([k]) => k.startsWith(`${field}.`))?.[1];
  const shown = ['qtyG', 'fenPerKg', 'tif', 'lotId', 'funding', 'constraints.origins', 'constraints.minGrade', 'constraints.certificate', 'expiresAt', 'side'];
  const unshown = Object.entries(server.byField).filter(([k]) => !shown.some((f) => k === f || k.startsWith(`${f}.`)));
  const general = server.message ?? unshown[0]?.[1] ?? null;
  const selectedLot = lots.find((l) => l.lotId === lotId);
  const noLots = side === 'sell' && lots.length === 0;
  const invalid = (field: string) => ({ 'aria-invalid': Boolean(errorOf(field)), 'aria-describedby': errorOf(field) ? `order-${field}-error` : undefined });
  // A refusal without a field of its own shows above the form: bring it into view.
  const generalRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (general) generalRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [general]);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const qtyG = gramsFromKg(qtyKg);
    const fenPerKg = fenFromYuan(priceYuan);
    const expiresAt = tif === 'GTC' && expiresOn ? expiresAtOfDay(expiresOn) : null;
    const problems = orderFormProblems({ side, qtyG, fenPerKg, funding, lotFreeG: selectedLot?.freeG, badExpiry: tif === 'GTC' && Boolean(expiresOn) && !expiresAt });
    const errors = Object.fromEntries(Object.entries(problems).map(([field, p]) => [field, t(p.key, p.params ?? {})]));
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) {
      place.reset();
      return;
    }
    const originList = parseOrigins(origins);
    const constraints = {
      ...(originList.length > 0 ? { origins: originList } : {}),
      ...(minGrade ? { minGrade } : {}),
      ...(certificate ? { certificate } : {}),
    };
    place.mutate({
      instrumentId,
      idempotencyKey: key.current,
      side,
      qtyG,
      fenPerKg,
      tif,
      ...(side === 'sell' ? { lotId } : { funding, ...(Object.keys(constraints).length > 0 ? { constraints } : {}) }),
      ...(expiresAt ? { expiresAt } : {}),
    });
  }

  const placed = place.data;
  const outcome = placed && place.variables ? placedOutcome(place.variables.qtyG, placed) : null;
  const sideButton = (s: Side) =>
    cn(
      'flex-1 rounded-md px-3 py-1.5 text-sm font-medium disabled:opacity-50',
      side === s ? (s === 'buy' ? 'bg-cinnabar-500 text-white' : 'bg-brand-600 text-white') : 'border border-stone-300 bg-white text-stone-700 hover:bg-stone-100',
    );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" data-testid="order-form" data-side={side} aria-label={t('title')}>
      {halted ? <Alert tone="warning">{t('halted')}</Alert> : null}
      <div className="flex gap-2" role="group" aria-label={t('side')}>
        {(['buy', 'sell'] as const).map((s) => (
          <button
            key={s}
            type="button"
            className={sideButton(s)}
            aria-pressed={side === s}
            // A side clicked before hydration would be lost, and the order placed on the side shown before.
            disabled={!hydrated}
            data-testid={`order-side-${s}`}
            onClick={() => {
              setSide(s);
              setLocalErrors({});
              place.reset();
            }}
          >
            {t(s)}
          </button>
        ))}
      </div>

      <div ref={generalRef} className="scroll-mt-20">
        {general ? <Alert tone="danger">{general}</Alert> : null}
      </div>
      {placed && outcome ? (
        <Alert tone={outcome.tone}>
          <span data-testid="order-placed" data-outcome={outcome.key}>
            {t(outcome.key, {
              orderId: placed.orderId,
              trades: placed.trades.length,
              filled: kg(outcome.filledG),
              resting: kg(placed.restingQtyG),
              cancelled: kg(outcome.cancelledG),
            })}
          </span>
        </Alert>
      ) : null}

      {side === 'sell' ? (
        noLots ? (
          <Alert tone="info">
            <span data-testid="order-no-lots">{t('noLots')}</span>
          </Alert>
        ) : (
          <Field id="order-lotId" label={t('lot')} error={errorOf('lotId')} hint={selectedLot ? t('lotHint', { free: kg(selectedLot.freeG), expiry: selectedLot.expiryDate }) : undefined}>
            <Select id="order-lotId" value={lotId} onChange={(e) => setLotId(e.target.value)} data-testid="order-lot" {...invalid('lotId')}>
              {lots.map((l) => (
                <option key={l.lotId} value={l.lotId}>
                  {t('lotOption', { batchNo: l.batchNo, origin: l.origin, grade: (PRODUCT_GRADES as readonly string[]).includes(l.grade) ? tc(`grades.${l.grade as ProductGrade}`) : l.grade, free: kg(l.freeG) })}
                </option>
              ))}
            </Select>
          </Field>
        )
      ) : null}

      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="order-qtyG" label={t('qty')} error={errorOf('qtyG')}>
          <Input id="order-qtyG" inputMode="decimal" autoComplete="off" placeholder="100" value={qtyKg} onChange={(e) => setQtyKg(e.target.value)} data-testid="order-qty" {...invalid('qtyG')} />
        </Field>
        <Field id="order-fenPerKg" label={t('price')} error={errorOf('fenPerKg')}>
          <Input id="order-fenPerKg" inputMode="decimal" autoComplete="off" placeholder="62.50" value={priceYuan} onChange={(e) => setPriceYuan(e.target.value)} data-testid="order-price" {...invalid('fenPerKg')} />
        </Field>
        <Field id="order-tif" label={t('tif')} error={errorOf('tif')}>
          <Select id="order-tif" value={tif} onChange={(e) => setTif(e.target.value === 'IOC' ? 'IOC' : 'GTC')} data-testid="order-tif">
            <option value="GTC">{t('gtc')}</option>
            <option value="IOC">{t('ioc')}</option>
          </Select>
        </Field>
        {tif === 'GTC' ? (
          <Field id="order-expiresAt" label={t('expires')} error={errorOf('expiresAt')} hint={t('expiresHint')}>
            <Input id="order-expiresAt" type="date" min={today} max={lastExpiryDay} value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} data-testid="order-expires" {...invalid('expiresAt')} />
          </Field>
        ) : null}
      </div>

      {side === 'buy' ? (
        <>
          <fieldset className="space-y-2" data-testid="order-funding">
            <legend className="text-sm font-medium text-stone-700">{t('funding')}</legend>
            {(['card', 'net_terms'] as const).map((f) => (
              <label key={f} className="flex items-start gap-2 text-sm">
                <input type="radio" name="funding" value={f} checked={funding === f} onChange={() => setFunding(f)} className="mt-1" data-testid={`order-funding-${f}`} />
                <span>
                  <span className="font-medium">{t(`fundings.${f}`)}</span>
                  <span className="block text-xs text-stone-500">{t(`fundingHints.${f}`)}</span>
                </span>
              </label>
            ))}
            {errorOf('funding') ? (
              <p id="order-funding-error" role="alert" className="text-xs text-cinnabar-500">
                {errorOf('funding')}
              </p>
            ) : null}
          </fieldset>
          <fieldset className="space-y-3 rounded-md border border-stone-200 p-3" data-testid="order-constraints">
            <legend className="px-1 text-sm font-medium text-stone-700">{t('constraints')}</legend>
            <p className="text-xs text-stone-500">{t('constraintsHint')}</p>
            <Field id="order-constraints.origins" label={t('origins')} error={errorOf('constraints.origins')} hint={t('originsHint')}>
              <Input id="order-constraints.origins" value={origins} maxLength={400} placeholder="甘肃陇西、内蒙古固阳" onChange={(e) => setOrigins(e.target.value)} data-testid="order-origins" {...invalid('constraints.origins')} />
            </Field>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field id="order-constraints.minGrade" label={t('minGrade')} error={errorOf('constraints.minGrade')}>
                <Select id="order-constraints.minGrade" value={minGrade} onChange={(e) => setMinGrade(GRADES_UP.find((g) => g === e.target.value) ?? '')} data-testid="order-min-grade">
                  <option value="">{t('anyGrade')}</option>
                  {GRADES_UP.map((g) => (
                    <option key={g} value={g}>
                      {t('gradeAtLeast', { grade: tc(`grades.${g}`) })}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field id="order-constraints.certificate" label={t('certificate')} error={errorOf('constraints.certificate')}>
                <Select id="order-constraints.certificate" value={certificate} onChange={(e) => setCertificate(LISTING_CERTIFICATES.find((c) => c === e.target.value) ?? '')} data-testid="order-certificate">
                  <option value="">{tc('anyCertificate')}</option>
                  {LISTING_CERTIFICATES.map((c) => (
                    <option key={c} value={c}>
                      {tc(`certificates.${c}`)}
                    </option>
                  ))}
                </Select>
              </Field>
            </div>
          </fieldset>
        </>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton variant={side === 'sell' ? 'default' : 'destructive'} disabled={halted || noLots || place.isPending} data-testid="order-submit">
          {place.isPending ? t('submitting') : t(side === 'buy' ? 'submitBuy' : 'submitSell')}
        </SubmitButton>
        {gramsFromKg(qtyKg) > 0 && fenFromYuan(priceYuan) > 0 ? (
          <span className="text-sm text-stone-600" data-testid="order-summary">
            {t('summary', { qty: kg(gramsFromKg(qtyKg)), price: yuanPerKg(fenFromYuan(priceYuan)) })}
          </span>
        ) : null}
      </div>
    </form>
  );
}
