'use client';

import { useMutation } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { SubmitButton } from '@/components/ui/submit-button.tsx';
import { Field } from '@/components/ui/field.tsx';
import { Input, Select } from '@/components/ui/input.tsx';
import { useRouter } from '@/i18n/navigation.ts';
import { fieldErrorsOf } from '@/lib/form-errors.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

const TYPES = ['drug_manufacturing', 'drug_distribution', 'medical_institution', 'gap_base'] as const;

export function LicenceForm({ defaultType }: { defaultType: (typeof TYPES)[number] }) {
  const t = useTranslations('org.licences');
  const trpc = useTRPC();
  const router = useRouter();
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [uploading, setUploading] = useState(false);
  const add = useMutation(trpc.orgs.addLicence.mutationOptions({ onSuccess: () => router.refresh() }));
  const { byField, message } = fieldErrorsOf(add.error);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const d = new FormData(form);
    setUploadError(null);
    let documentId: string | undefined;
    const file = d.get('document');
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
      documentId = json.id;
    }
    add.mutate(
      {
        type: String(d.get('type')) as (typeof TYPES)[number],
        number: String(d.get('number') ?? ''),
        scope: String(d.get('scope') ?? ''),
        validFrom: String(d.get('validFrom') ?? ''),
        expiresOn: String(d.get('expiresOn') ?? ''),
        documentId,
      },
      { onSuccess: () => form.reset() },
    );
  }

  const err = (k: string) => ({ 'aria-invalid': Boolean(byField[k]), 'aria-describedby': byField[k] ? `${k}-error` : undefined });
  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2" aria-label={t('add')}>
      {message ? (
        <div className="sm:col-span-2">
          <Alert tone="danger">{message}</Alert>
        </div>
      ) : null}
      <Field id="type" label={t('type')} error={byField.type}>
        <Select id="type" name="type" defaultValue={defaultType}>
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`types.${type}`)}
            </option>
          ))}
        </Select>
      </Field>
      <Field id="number" label={t('number')} error={byField.number}>
        <Input id="number" name="number" maxLength={64} {...err('number')} />
      </Field>
      <div className="sm:col-span-2">
        <Field id="scope" label={t('scope')} error={byField.scope}>
          <Input id="scope" name="scope" maxLength={500} {...err('scope')} />
        </Field>
      </div>
      <Field id="validFrom" label={t('validFrom')} error={byField.validFrom}>
        <Input id="validFrom" name="validFrom" type="date" {...err('validFrom')} />
      </Field>
      <Field id="expiresOn" label={t('expiresOn')} error={byField.expiresOn}>
        <Input id="expiresOn" name="expiresOn" type="date" {...err('expiresOn')} />
      </Field>
      <div className="sm:col-span-2">
        <Field id="document" label={t('document')} error={uploadError ?? byField.documentId} hint={t('documentHint')}>
          <Input id="document" name="document" type="file" accept="application/pdf,image/png,image/jpeg" className="h-auto py-1.5" />
        </Field>
      </div>
      <div className="sm:col-span-2">
        <SubmitButton disabled={add.isPending || uploading}>
          {uploading ? t('uploading') : t('add')}
        </SubmitButton>
      </div>
    </form>
  );
}
