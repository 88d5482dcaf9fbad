import { TRPCError } from '@trpc/server';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { requireOrgPage } from '@/components/shell/page-guard.ts';
import { Badge } from '@/components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card.tsx';
import { PageHeader } from '@/components/ui/page-header.tsx';
import { Link } from '@/i18n/navigation.ts';
import { serverApi } from '@/server/api/server-caller.ts';
import { EDITABLE_STATUSES, findTenderTransition, isTenderStatus, PUBLIC_STATUSES, type TenderStatus } from '@/server/domains/tenders/tenders.core.ts';
import type { TenderDetail } from '@/server/domains/tenders/tenders.service.ts';
import { kg, shanghai, yuanPerKg } from '../format.ts';
import { CreateTenderForm } from '../new/create-tender-form.tsx';
import { AwardView } from './award-view.tsx';
import { CompletionSection } from './completion-section.tsx';
import { DemandChart } from './demand-chart.tsx';
import { DemandForm } from './demand-form.tsx';
import { OfficerActions, type OfficerAction } from './officer-actions.tsx';
import { AnswerComplaintForm, ComplaintForm, QualifyForm } from './officer-forms.tsx';
import { RetenderForm } from './retender-form.tsx';
import { TenderLotsTable, TenderSchedule } from './tender-overview.tsx';
import { BidForm, RegisterForm } from './supplier-panel.tsx';
import { regionName } from '@/server/domains/orgs/identity.core.ts';
import { lotsWithoutBid } from '@/server/domains/tenders/tender-todo.core.ts';

const OFFICER_MOVES: Record<OfficerAction, TenderStatus> = { openDemand: 'demand_collection', publish: 'published', finalize: 'awarded', cancel: 'cancelled' };

async function loadCompletion(tenderId: string) {
  try {
    return await (await serverApi()).tenders.completion({ tenderId });
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}

async function load(id: string): Promise<TenderDetail> {
  try {
    return await (await serverApi()).tenders.get({ id });
  } catch (error) {
    if (error instanceof TRPCError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST')) notFound();
    throw error;
  }
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">{children}</CardContent>
    </Card>
  );
}

export default async function TenderPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale, id } = await params;
  const v = await requireOrgPage(locale, `/tenders/${id}`);
  const t = await getTranslations('tenders');
  const tender = await load(id);
  const status = isTenderStatus(tender.status) ? tender.status : null;
  const officer = tender.role === 'officer' && v.permissions.includes('tender:manage');
  const allowed = officer && status ? (Object.keys(OFFICER_MOVES) as OfficerAction[]).filter((a) => findTenderTransition(status, OFFICER_MOVES[a])?.by.includes('officer')) : [];
  const lotLabel = (l: { lotNo: number; herbName: string; spec: string }) => `${l.lotNo} · ${l.herbName}（${l.spec}）`;
  const lotOptions = tender.lots.map((l) => ({ id: l.id, label: lotLabel(l) }));
  // A qualified supplier bids on the lots it registered for: those without a bid yet first in mind.
  const registeredLots = lotOptions.filter((l) => tender.registration?.lots.some((r) => r.lotId === l.id));
  const withoutBid = new Set(
    lotsWithoutBid(
      registeredLots.map((l) => l.id),
      new Set(tender.receipts.map((r) => r.lotId)),
    ),
  );
  const toBid = registeredLots.filter((l) => withoutBid.has(l.id));
  const bidOptions = registeredLots.map((l) => (withoutBid.has(l.id) ? l : { ...l, label: `${l.label} · ${t('lotBidIn')}` }));
  const isPublic = (PUBLIC_STATUSES as readonly string[]).includes(tender.status);
  const demandByLot = new Map(tender.demand?.lots.map((d) => [d.lotId, d]) ?? []);
  const completion = tender.status === 'awarded' ? await loadCompletion(tender.id) : null;
  const mayComplain = tender.status === 'publicised' && (tender.role === 'member' || tender.registration !== null);

  return (
    <div className="space-y-4">
      <PageHeader title={tender.title} intro={`${tender.allianceName} · ${t(`methods.${tender.method}`)}`}>
        <div className="flex items-center gap-2">
          <Badge data-testid="tender-status">{t(`statuses.${tender.status}`)}</Badge>
          {isPublic ? (
            <Link href={`/tenders/${tender.id}/public`} className="text-sm text-brand-700 hover:underline">
              {t('publicLink')}
            </Link>
          ) : null}
        </div>
      </PageHeader>
      <p className="text-sm text-stone-600">{t('yourRole', { role: t(`roles.${tender.role}`) })}</p>
      {officer ? <OfficerActions id={tender.id} allowed={allowed} /> : null}
      {officer && (EDITABLE_STATUSES as readonly string[]).includes(tender.status) ? (
        <details className="rounded-md border border-stone-200 p-3" data-testid="tender-edit">
          <summary className="cursor-pointer text-sm font-medium">{t('editRules')}</summary>
          <div className="pt-3">
            <CreateTenderForm initial={{ id: tender.id, title: tender.title, method: tender.method, weights: tender.weights, demandDeadline: tender.demandDeadline, bidDeadline: tender.bidDeadline, openingAt: tender.openingAt, publicityEndsAt: tender.publicityEndsAt, contractTermMonths: tender.contractTermMonths, documents: tender.documents, lots: tender.lots }} />
          </div>
        </details>
      ) : null}

      <Section title={t('schedule')}>
        <TenderSchedule tender={tender} />
        {tender.weights ? <p className="text-sm text-stone-600">{t('weights', tender.weights)}</p> : null}
        {!status || ['draft', 'demand_collection', 'published'].includes(status) ? <p className="text-xs text-stone-500">{t('sealedUntilOpening')}</p> : null}
      </Section>

      <Section title={t('lots')} testId="tender-lots">
        <TenderLotsTable lots={tender.lots} showStatus {...(tender.demand ? { demandG: (lotId: string) => demandByLot.get(lotId)?.totalG ?? 0 } : {})} />
      </Section>

      {tender.demand ? (
        <Section title={t('demand')} testId="tender-demand">
          <DemandChart
            lots={tender.demand.lots.map((d) => ({ label: `${d.lotNo} · ${d.herbName}`, byRegion: d.byRegion.map((r) => ({ ...r, regionName: regionName(r.regionCode) })) }))}
            label={t('demandChartLabel')}
            unit={t('kgUnit')}
          />
          {tender.demand.members.length === 0 ? (
            <p className="text-sm text-stone-500">{t('noDemand')}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[480px] text-left text-sm">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('lotNo')}</th>
                    <th className="py-2 font-medium">{t('member')}</th>
                    <th className="py-2 font-medium">{t('region')}</th>
                    <th className="py-2 text-right font-medium">{t('demandKg')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tender.demand.members.map((d) => (
                    <tr key={`${d.lotId}:${d.memberOrgId}`} className="border-t border-stone-100">
                      <td className="py-2">{tender.lots.find((l) => l.id === d.lotId)?.lotNo}</td>
                      <td className="py-2">{d.memberName}</td>
                      <td className="py-2">{regionName(d.regionCode)}</td>
                      <td className="py-2 text-right">{kg(d.grams)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      ) : null}

      {tender.role === 'member' ? (
        <Section title={t('myDemand')} testId="tender-my-demand">
          {tender.status === 'demand_collection' ? (
            <DemandForm tenderId={tender.id} lots={tender.lots.map((l) => ({ id: l.id, label: lotLabel(l), currentG: tender.myDemand.find((d) => d.lotId === l.id)?.grams ?? null, lastYearKg: kg(tender.lastYearUsage.find((u) => u.lotId === l.id)?.grams ?? 0) }))} />
          ) : (
            <>
              <p className="text-sm text-stone-500">{t('demandClosed')}</p>
              <ul className="text-sm">
                {tender.myDemand.map((d) => (
                  <li key={d.lotId}>
                    {lotOptions.find((l) => l.id === d.lotId)?.label}: {kg(d.grams)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </Section>
      ) : null}

      {officer && tender.status !== 'draft' && tender.status !== 'demand_collection' ? (
        <Section title={t('registrations')} testId="tender-registrations">
          {tender.registrations.length === 0 ? (
            <p className="text-sm text-stone-500">{t('noRegistrations')}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[640px] text-left text-sm">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('supplier')}</th>
                    <th className="py-2 font-medium">{t('capacity')}</th>
                    <th className="py-2 font-medium">{t('regStatus')}</th>
                    <th className="py-2 font-medium">{t('qualify')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tender.registrations.map((r) => (
                    <tr key={r.supplierOrgId} className="border-t border-stone-100 align-top">
                      <td className="py-2">{r.supplierName}</td>
                      <td className="py-2">
                        {r.lots.map((l) => (
                          <div key={l.lotId}>
                            {tender.lots.find((x) => x.id === l.lotId)?.lotNo}: {kg(l.capacityG)}
                          </div>
                        ))}
                      </td>
                      <td className="py-2">
                        <Badge tone={r.status === 'qualified' ? 'success' : r.status === 'not_qualified' ? 'danger' : 'neutral'}>{t(`regStatuses.${r.status as 'pending' | 'qualified' | 'not_qualified'}`)}</Badge>
                        {r.reason ? <p className="text-xs text-stone-500">{r.reason}</p> : null}
                        {r.qualityScore !== null ? <p className="text-xs text-stone-500">{t('qualityScore')}: {r.qualityScore}</p> : null}
                        {r.documents.length > 0 ? (
                          <p className="text-xs text-stone-500">
                            {t('documents')}:{' '}
                            {r.documents.map((d, i) => (
                              <span key={`${d.name}-${i}`}>
                                {i > 0 ? '、' : null}
                                {d.uploadId ? (
                                  <a href={`/api/uploads/${d.uploadId}`} target="_blank" rel="noopener" className="text-brand-700 hover:underline" data-testid="registration-document">
                                    {d.name}
                                  </a>
                                ) : (
                                  d.name
                                )}
                              </span>
                            ))}
                          </p>
                        ) : null}
                      </td>
                      <td className="py-2">{tender.status === 'published' ? <QualifyForm tenderId={tender.id} supplierOrgId={r.supplierOrgId} weighted={tender.method === 'weighted_score'} /> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      ) : null}

      {tender.role === 'supplier' ? (
        <Section title={t('bid')} testId="tender-supplier">
          {tender.registration ? <p className="text-sm">{t('registered', { status: t(`regStatuses.${tender.registration.status as 'pending' | 'qualified' | 'not_qualified'}`) })}</p> : null}
          {tender.registration?.reason ? <p className="text-xs text-stone-500">{tender.registration.reason}</p> : null}
          {tender.status === 'published' && tender.registration?.status !== 'qualified' ? <RegisterForm tenderId={tender.id} lots={lotOptions} /> : null}
          {tender.status === 'published' && tender.registration?.status === 'qualified' ? (
            <>
              <p className="text-sm" data-testid="bid-remaining">
                {toBid.length > 0 ? t('bidRemaining', { lots: toBid.map((l) => l.label).join('；') }) : t('bidAllIn')}
              </p>
              <BidForm tenderId={tender.id} lots={bidOptions} initialLotId={toBid[0]?.id} />
            </>
          ) : null}
          <h3 className="pt-2 text-sm font-medium">{t('myReceipts')}</h3>
          {tender.receipts.length === 0 ? (
            <p className="text-sm text-stone-500">{t('noReceipts')}</p>
          ) : (
            <ul className="space-y-1 font-mono text-xs" data-testid="bid-receipts">
              {tender.receipts.map((r) => (
                <li key={r.bidId}>
                  {tender.lots.find((l) => l.id === r.lotId)?.lotNo} · {shanghai(r.submittedAt)} · <span className="break-all">{r.commitment}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      ) : null}

      {isPublic ? (
        <Section title={t('award')}>
          <AwardView award={tender.award} lots={tender.lots} />
          {officer && tender.lots.some((l) => l.status === 'failed') ? <RetenderForm id={tender.id} /> : null}
        </Section>
      ) : null}

      {tender.status === 'publicised' || tender.complaints.length > 0 ? (
        <Section title={t('complaints')} testId="tender-complaints">
          {tender.complaints.length === 0 ? <p className="text-sm text-stone-500">{t('noComplaints')}</p> : null}
          {tender.complaints.map((c) => (
            <div key={c.id} className="rounded-md border border-stone-200 p-3 text-sm">
              <p>
                <Badge tone={c.status === 'open' ? 'warning' : 'success'}>{t(`complaintStatuses.${c.status as 'open' | 'answered'}`)}</Badge> {c.complainantName} · {shanghai(c.createdAt)}
              </p>
              <p className="mt-1">{c.body}</p>
              {c.answer ? (
                <p className="mt-1 text-stone-600">
                  {t('answer')}: {c.answer}
                </p>
              ) : null}
              {officer && c.status === 'open' ? <AnswerComplaintForm complaintId={c.id} /> : null}
            </div>
          ))}
          {mayComplain ? <ComplaintForm tenderId={tender.id} lots={lotOptions} /> : null}
        </Section>
      ) : null}

      {tender.status === 'awarded' ? (
        <Section title={t('contracts')} testId="tender-contracts">
          {tender.contracts.length === 0 ? (
            <p className="text-sm text-stone-500">{t('noContracts')}</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full min-w-[560px] text-left text-sm">
                <thead className="text-stone-500">
                  <tr>
                    <th className="py-2 font-medium">{t('lotNo')}</th>
                    <th className="py-2 font-medium">{t('supplier')}</th>
                    <th className="py-2 text-right font-medium">{t('price')}</th>
                    <th className="py-2 text-right font-medium">{t('agreedVolume')}</th>
                    <th className="py-2 pl-6 font-medium">{t('contractTerm')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tender.contracts.map((c) => (
                    <tr key={c.id} className="border-t border-stone-100">
                      <td className="py-2">{tender.lots.find((l) => l.id === c.lotId)?.lotNo}</td>
                      <td className="py-2">{c.supplierName}</td>
                      <td className="py-2 text-right">{yuanPerKg(c.fenPerKg)}</td>
                      <td className="py-2 text-right">{kg(c.agreedG)}</td>
                      <td className="py-2 pl-6 whitespace-nowrap">
                        {c.startsOn} – {c.endsOn}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      ) : null}

      {completion ? (
        <Section title={t('completion')}>
          <CompletionSection tender={tender} completion={completion} canOrder={v.permissions.includes('order:create')} />
        </Section>
      ) : null}
    </div>
  );
}
