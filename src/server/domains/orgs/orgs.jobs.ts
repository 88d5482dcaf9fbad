import path from 'node:path';
import { z } from 'zod';
import { env } from '../../env.ts';
import { createMailboxMailer } from '../../integrations/mail/mailer.ts';
import { defineJob } from '../../jobs/define.ts';

/** Sends an invitation email (enqueued in the invitation's transaction; idempotent by event id). */
export const sendInvitationEmail = defineJob({
  name: 'orgs.send-invitation-email',
  payload: z.object({
    invitationId: z.string().min(1),
    email: z.email(),
    orgName: z.string(),
    role: z.string(),
    inviterName: z.string(),
    url: z.url(),
  }),
  maxAttempts: 6,
  backoffMs: 5_000,
  async handler(p, ctx) {
    const mailer = createMailboxMailer(path.join(env().BENCAO_DATA_DIR, 'mailbox'));
    await mailer.send({
      id: ctx.eventId,
      to: p.email,
      subject: `【本草】${p.inviterName} 邀请您加入 ${p.orgName}`,
      text: [
        `${p.inviterName} 邀请您以“${p.role}”身份加入 ${p.orgName}。`,
        `请在 7 天内打开以下链接接受邀请：`,
        p.url,
        '',
        `${p.inviterName} invited you to join ${p.orgName} as ${p.role}. Open the link within 7 days to accept.`,
      ].join('\n'),
    });
  },
});
