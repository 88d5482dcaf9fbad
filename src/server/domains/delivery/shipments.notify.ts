import { eq, inArray } from 'drizzle-orm';
import { permissionsFor } from '../../../lib/permissions.ts';
import type { DbOrTx } from '../../db/client.ts';
import { member, shipment, shipmentAlert, user } from '../../db/schema/index.ts';
import type { Mailer } from '../../integrations/mail/mailer.ts';

/**
 * Who hears about a shipment: the members of the sender, the receiver and the issuing hospital whose
 * role may read shipments (owners, buyers, sales, pharmacists). The patient follows the status link.
 */
const KIND_ZH: Record<string, string> = {
  temperature_excursion: '冷链温度超出 2–8 °C',
  exception: '运输异常',
  recipient_check_failed: '签收核验未通过',
  delivered: '已签收',
  returned: '已退回寄件人',
};

export async function shipmentRecipients(db: DbOrTx, orgIds: readonly (string | null)[]): Promise<string[]> {
  const ids = [...new Set(orgIds.filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return [];
  const rows = await db.select({ email: user.email, role: member.role }).from(member).innerJoin(user, eq(user.id, member.userId)).where(inArray(member.organizationId, ids));
  return [...new Set(rows.filter((r) => permissionsFor(r.role).has('shipment:read')).map((r) => r.email))].sort();
}

/** One message per recipient; ids derive from the outbox event, so a redelivery rewrites the same messages. */
export async function sendShipmentNotifications(db: DbOrTx, mailer: Mailer, input: { shipmentId: string; kind: string; alertId?: string | undefined }, eventId: string): Promise<number> {
  const [row] = await db.select().from(shipment).where(eq(shipment.id, input.shipmentId));
  if (!row) return 0;
  const [alert] = input.alertId ? await db.select().from(shipmentAlert).where(eq(shipmentAlert.id, input.alertId)) : [];
  const recipients = await shipmentRecipients(db, [row.senderOrgId, row.receiverOrgId, row.observerOrgId]);
  const label = KIND_ZH[input.kind] ?? input.kind;
  const detail =
    alert?.kind === 'temperature_excursion'
      ? `温度 ${alert.minCelsius ?? ''}–${alert.maxCelsius ?? ''} °C（${alert.startedAt.toISOString()} 起）。`
      : alert?.kind === 'exception'
        ? `原因：${String((alert.data as { reason?: string }).reason ?? 'other')}。`
        : '';
  for (const [i, to] of recipients.entries()) {
    await mailer.send({
      id: `${eventId}-${i}`,
      to,
      subject: `【本草】运单 ${row.trackingNumber}：${label}`,
      text: [`运单 ${row.trackingNumber}（${row.id}）：${label}。${detail}`, '请登录本草平台查看物流轨迹。'].join('\n'),
    });
  }
  return recipients.length;
}
