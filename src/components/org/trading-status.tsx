import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/ui/alert.tsx';

type Block = { reason: 'kyb_pending' | 'kyb_rejected' } | { reason: 'licence_missing' | 'licence_expired'; licence: string } | null;

export async function TradingStatus({ block }: { block: Block }) {
  const t = await getTranslations('org.trading');
  const tl = await getTranslations('org.licences.types');
  if (!block) return <Alert tone="success">{t('ok')}</Alert>;
  const licence = 'licence' in block ? tl(block.licence as 'drug_distribution') : '';
  return (
    <Alert tone={block.reason === 'kyb_rejected' || block.reason === 'licence_expired' ? 'danger' : 'warning'}>
      <span data-testid="trading-block">{t(block.reason, { licence })}</span>
    </Alert>
  );
}
