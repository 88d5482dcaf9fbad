import type { Metadata } from 'next';
import { getTranslations, setRequestLocale } from 'next-intl/server';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { yuanPerKg } from '../../market/format.ts';
import { operatorAccess } from '../access.tsx';
import { CreateInstrumentForm, InstrumentStatusToggle } from './instruments-admin.tsx';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('market.operator');
  return { title: t('title') };
}

/** The platform operator's spot market instruments: open one for a catalogue spec and grade, halt or resume trading. */
export default async function OperatorInstrumentsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const denied = await operatorAccess(locale, '/operator/instruments', 'market:operate');
  if (denied) return denied;
  const t = await getTranslations('market');
  const quotes = await (await serverApi()).market.quotes();
  return (
    <div className="space-y-4">
      <PageHeader title={t('operator.title')} intro={t('operator.intro')} />
      <Card>
        <CardHeader>
          <CardTitle>{t('operator.create')}</CardTitle>
        </CardHeader>
        <CardContent>
          <CreateInstrumentForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>{t('operator.list', { count: quotes.length })}</CardTitle>
        </CardHeader>
        <CardContent>
          {quotes.length === 0 ? (
            <EmptyState title={t('list.empty')} description={t('operator.emptyHint')} />
          ) : (
            <table className="w-full text-left text-sm" data-testid="operator-instruments">
              <thead className="text-stone-500">
                <tr>
                  <th className="py-2 font-medium">{t('list.name')}</th>
                  <th className="py-2 font-medium">ID</th>
                  <th className="py-2 text-right font-medium">{t('list.last')}</th>
                  <th className="py-2 pl-4 font-medium">{t('list.status')}</th>
                </tr>
              </thead>
              <tbody>
                {quotes.map((q) => (
                  <tr key={q.id} className="border-t border-stone-100" data-testid="operator-instrument" data-instrument-id={q.id} data-status={q.status}>
                    <td className="py-2">
                      <Link href={`/market/${q.id}`} className="text-brand-700 hover:underline">
                        {q.name}
                      </Link>
                    </td>
                    <td className="py-2 font-mono text-xs text-stone-500">{q.id}</td>
                    <td className="py-2 text-right tabular-nums">{q.lastFenPerKg === null ? '—' : yuanPerKg(q.lastFenPerKg)}</td>
                    <td className="py-2 pl-4">
                      <InstrumentStatusToggle instrumentId={q.id} name={q.name} status={q.status === 'active' ? 'active' : 'halted'} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
