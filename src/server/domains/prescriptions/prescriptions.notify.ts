import { and, eq, like } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { member, prescription, rxOffer, user } from '../../db/schema/index.ts';
import type { Mailer } from '../../integrations/mail/mailer.ts';
import { isRxStatus, type RxStatus } from './prescriptions.core.ts';

/**
 * Who hears about a step of a prescription: the hospital's pharmacists when it waits for review, the
 * signing physician on decisions and progress, the pharmacy's pharmacists when it is offered to them
 * or closed while theirs. The patient follows the status link instead (no contact data is kept).
 */
const STATUS_ZH: Record<RxStatus, string> = {
  draft: '草稿',
  screened: '待审方',
  approved: '审方通过',
  rejected: '审方驳回',
  routed: '已派单',
  accepted: '药房已接单',
  dispensing: '调配中',
  decocting: '煎药中',
  ready: '待取药',
  shipped: '已发出',
  delivered: '已送达',
  picked_up: '已取药',
  completed: '已完成',
  cancelled: '已撤销',
  expired: '已过期',
};

async function pharmacistsOf(db: DbOrTx, orgId: string) {
  return db
    .select({ email: user.email })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(member.organizationId, orgId), like(member.role, '%pharmacist%')));
}

export async function rxRecipients(db: DbOrTx, prescriptionId: string, status: RxStatus, offeredTo?: string): Promise<string[]> {
  const [rx] = await db.select().from(prescription).where(eq(prescription.id, prescriptionId));
  if (!rx) return [];
  const emails = new Set<string>();
  const physician = await db.query.user.findFirst({ where: eq(user.id, rx.physicianUserId) });
  if (status === 'screened') {
    for (const p of await pharmacistsOf(db, rx.hospitalOrgId)) emails.add(p.email);
    if (rx.blocked && physician) emails.add(physician.email);
  } else if (status === 'routed') {
    // The pharmacy this step offered it to (named by the event), even if the offer closed since.
    const [offer] = offeredTo
      ? await db
          .select({ orgId: rxOffer.pharmacyOrgId })
          .from(rxOffer)
          .where(and(eq(rxOffer.prescriptionId, rx.id), eq(rxOffer.pharmacyOrgId, offeredTo)))
      : [];
    if (offer) for (const p of await pharmacistsOf(db, offer.orgId)) emails.add(p.email);
  } else {
    if (physician) emails.add(physician.email);
    if ((status === 'cancelled' || status === 'expired') && rx.pharmacyOrgId) for (const p of await pharmacistsOf(db, rx.pharmacyOrgId)) emails.add(p.email);
  }
  return [...emails].sort();
}

/** Sends one message per recipient; ids derive from the outbox event, so a redelivery rewrites the same messages. */
export async function sendRxNotifications(
  db: DbOrTx,
  mailer: Mailer,
  input: { prescriptionId: string; status: string; pharmacyOrgId?: string | undefined; note?: 'routing_failed' | undefined },
  eventId: string,
): Promise<number> {
  if (!isRxStatus(input.status)) return 0;
  // Nobody eligible: the physician hears why is on the prescription page.
  const recipients = input.note === 'routing_failed' ? await rxRecipients(db, input.prescriptionId, 'approved') : await rxRecipients(db, input.prescriptionId, input.status, input.pharmacyOrgId);
  const label = input.note === 'routing_failed' ? '暂无可接单药房，原因见处方详情' : STATUS_ZH[input.status];
  for (const [i, to] of recipients.entries()) {
    await mailer.send({
      id: `${eventId}-${i}`,
      to,
      subject: `【本草】处方 ${input.prescriptionId}：${label}`,
      text: [`处方 ${input.prescriptionId} 的状态已更新为“${label}”。`, '请登录本草平台查看详情。'].join('\n'),
    });
  }
  return recipients.length;
}
