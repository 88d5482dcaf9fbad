'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { Button } from '@/components/ui/button.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Card, CardContent } from '@/components/ui/card.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';
import { fenFromYuan, isoToShanghaiLocal, numberFromText, shanghaiLocalToIso, yuanFromFen } from '@/lib/input-format.ts';

interface LotDraft {
  herbName: string;
  spec: string;
  qualityTier: string;
  ceilingYuan: string;
  regions: string;
}

const emptyLot = (): LotDraft => ({ herbName: '', spec: '', qualityTier: 'A', ceilingYuan: '', regions: '' });

export interface TenderFormInitial {
  id: string;
  title: string;
  method: 'vbp_price' | 'weighted_score';
  weights: { price: number; quality: number } | null;
  demandDeadline: string;
  bidDeadline: string;
  openingAt: string;
  publicityEndsAt: string;
  contractTermMonths: number;
  documents: { name: string; uploadId?: string | null }[];
  lots: { herbName: string; spec: string; qualityTier: string; ceilingFenPerKg: number; deliveryRegions: string[] }[];
}

/**
 * The officer's form: rules, schedule (Asia/Shanghai) and lots; the server validates everything.
 * With `initial` it edits that tender's rules (refused by the server once published).
 */
export function CreateTenderForm({ initial }: { initial?: TenderFormInitial }) {
  const t = useTranslations('tenders');
  const trpc = useTRPC();
  const router = useRouter();
  const [title, setTitle] = useState(initial?.title ?? '');
  const [method, setMethod] = useState<'vbp_price' | 'weighted_score'>(initial?.method ?? 'vbp_price');
  const [weightPrice, setWeightPrice] = useState(String(initial?.weights?.price ?? 60));
  const [weightQuality, setWeightQuality] = useState(String(initial?.weights?.quality ?? 40));
  const [times, setTimes] = useState(
    initial
      ? { demandDeadline: isoToShanghaiLocal(initial.demandDeadline), bidDeadline: isoToShanghaiLocal(initial.bidDeadline), openingAt: isoToShanghaiLocal(initial.openingAt), publicityEndsAt: isoToShanghaiLocal(initial.publicityEndsAt) }
      : { demandDeadline: '', bidDeadline: '', openingAt: '', publicityEndsAt: '' },
  );
  const [term, setTerm] = useState(String(initial?.contractTermMonths ?? 12));
  const [lots, setLots] = useState<LotDraft[]>(
    initial ? initial.lots.map((l) => ({ herbName: l.herbName, spec: l.spec, qualityTier: l.qualityTier, ceilingYuan: yuanFromFen(l.ceilingFenPerKg), regions: l.deliveryRegions.join(', ') })) : [emptyLot()],
  );
  const create = useMutation(trpc.tenders.create.mutationOptions({ onSuccess: (r) => router.push(`/tenders/${r.id}`) }));
  const update = useMutation(trpc.tenders.update.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrorsOf(initial ? update.error : create.error);
  const err = (field: string) => errors.byField[field] ?? null;

  function submit() {
    const rules = {
      title,
      method,
      weights: method === 'weighted_score' ? { price: numberFromText(weightPrice), quality: numberFromText(weightQuality) } : null,
      demandDeadline: shanghaiLocalToIso(times.demandDeadline),
      bidDeadline: shanghaiLocalToIso(times.bidDeadline),
      openingAt: shanghaiLocalToIso(times.openingAt),
      publicityEndsAt: shanghaiLocalToIso(times.publicityEndsAt),
      contractTermMonths: numberFromText(term),
      documents: initial?.documents ?? [],
      lots: lots.map((l) => ({
        herbName: l.herbName,
        spec: l.spec,
        qualityTier: l.qualityTier,
        ceilingFenPerKg: fenFromYuan(l.ceilingYuan),
        deliveryRegions: l.regions
          .split(/[,，\s]+/)
          .map((r) => r.trim())
          .filter(Boolean),
      })),
    };
    if (initial) update.mutate({ id: initial.id, ...rules });
    else create.mutate(rules);
  }

  const setLot = (i: number, patch: Partial<LotDraft>) => setLots((all) => all.map((l, j) => (j === i ? { ...l, ...patch } : l)));
  return (
    <form className="space-y-4" onSubmit={(e) => { e.preventDefault(); submit(); }} data-testid="tender-create-form">
      {errors.message ? <Alert tone="danger">{errors.message}</Alert> : null}
      <Card>
        <CardContent className="grid gap-3 md:grid-cols-2">
          <Field id="title" label={t('form.title')} error={err('title')}>
            <Input id="title" value={title} onChange={(e) => setTitle(e.target.value)} />
          </Field>
          <Field id="method" label={t('form.method')} error={err('method')}>
            <Select id="method" value={method} onChange={(e) => setMethod(e.target.value as typeof method)}>
              <option value="vbp_price">{t('methods.vbp_price')}</option>
              <option value="weighted_score">{t('methods.weighted_score')}</option>
            </Select>
          </Field>
          {method === 'weighted_score' ? (
            <>
              <Field id="weightPrice" label={t('form.weightPrice')} error={err('weights') ?? err('weights.price')}>
                <Input id="weightPrice" inputMode="numeric" value={weightPrice} onChange={(e) => setWeightPrice(e.target.value)} />
              </Field>
              <Field id="weightQuality" label={t('form.weightQuality')} error={err('weights.quality')}>
                <Input id="weightQuality" inputMode="numeric" value={weightQuality} onChange={(e) => setWeightQuality(e.target.value)} />
              </Field>
            </>
          ) : null}
          {(['demandDeadline', 'bidDeadline', 'openingAt', 'publicityEndsAt'] as const).map((k) => (
            <Field key={k} id={k} label={t(k)} error={err(k)}>
              <Input id={k} type="datetime-local" value={times[k]} onChange={(e) => setTimes((all) => ({ ...all, [k]: e.target.value }))} />
            </Field>
          ))}
          <Field id="contractTermMonths" label={t('form.contractTermMonths')} error={err('contractTermMonths')}>
            <Input id="contractTermMonths" inputMode="numeric" value={term} onChange={(e) => setTerm(e.target.value)} />
          </Field>
        </CardContent>
      </Card>
      {lots.map((lot, i) => (
        <Card key={i}>
          <CardContent className="grid gap-3 md:grid-cols-3">
            <Field id={`lot-${i}-herb`} label={`${t('lotNo')} ${i + 1} · ${t('herbName')}`} error={err(`lots.${i}.herbName`)}>
              <Input id={`lot-${i}-herb`} value={lot.herbName} onChange={(e) => setLot(i, { herbName: e.target.value })} />
            </Field>
            <Field id={`lot-${i}-spec`} label={t('spec')} error={err(`lots.${i}.spec`)}>
              <Input id={`lot-${i}-spec`} value={lot.spec} onChange={(e) => setLot(i, { spec: e.target.value })} />
            </Field>
            <Field id={`lot-${i}-tier`} label={t('qualityTier')} error={err(`lots.${i}.qualityTier`)}>
              <Input id={`lot-${i}-tier`} value={lot.qualityTier} onChange={(e) => setLot(i, { qualityTier: e.target.value })} />
            </Field>
            <Field id={`lot-${i}-ceiling`} label={t('form.ceilingYuan')} error={err(`lots.${i}.ceilingFenPerKg`)}>
              <Input id={`lot-${i}-ceiling`} inputMode="decimal" value={lot.ceilingYuan} onChange={(e) => setLot(i, { ceilingYuan: e.target.value })} />
            </Field>
            <Field id={`lot-${i}-regions`} label={t('form.regions')} error={err(`lots.${i}.deliveryRegions`) ?? err(`lots.${i}.deliveryRegions.0`)}>
              <Input id={`lot-${i}-regions`} value={lot.regions} onChange={(e) => setLot(i, { regions: e.target.value })} placeholder="330106, 330102" />
            </Field>
            <div className="flex items-end">
              {lots.length > 1 ? (
                <Button variant="outline" onClick={() => setLots((all) => all.filter((_, j) => j !== i))}>
                  {t('form.removeLot')}
                </Button>
              ) : null}
            </div>
          </CardContent>
        </Card>
      ))}
      <div className="flex gap-2">
        <Button variant="outline" onClick={() => setLots((all) => [...all, emptyLot()])} data-testid="tender-add-lot">
          {t('form.addLot')}
        </Button>
        <SubmitButton disabled={create.isPending || update.isPending} data-testid="tender-create">
          {initial ? t('form.save') : t('form.create')}
        </SubmitButton>
      </div>
    </form>
  );
}
