import { localeFromHeaders } from '../../../../lib/locale.ts';
import { z } from 'zod';
import { RX_STATUSES } from '../../../domains/prescriptions/prescriptions.core.ts';
import { rxIdInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { apiView } from '../../../domains/prescriptions/prescriptions.service.ts';
import { orgProcedure } from '../../trpc.ts';

const timelineEntry = z.object({ from: z.string().nullable(), to: z.string(), role: z.string(), note: z.string().nullable(), reason: z.string().nullable(), at: z.string() });

/** `GET /api/v1/prescriptions/{id}`: status, assigned pharmacy, timeline; only the issuing hospital's. */
export const get = orgProcedure('rx:read')
  .meta({ openapi: { method: 'GET', path: '/prescriptions/{id}', tags: ['prescriptions'], summary: 'Prescription status and timeline', protect: true } })
  .input(rxIdInput)
  .output(
    z.object({
      id: z.string(),
      status: z.enum(RX_STATUSES),
      issuedAt: z.string(),
      expiresAt: z.string(),
      pharmacy: z.object({ id: z.string(), name: z.string() }).nullable(),
      flags: z.array(z.object({ code: z.string(), severity: z.string(), herbs: z.array(z.string()), message: z.string() })),
      routing: z.object({ checked: z.number(), reasons: z.record(z.string(), z.number()), missingHerbs: z.array(z.string()) }).nullable(),
      timeline: z.array(timelineEntry),
    }),
  )
  .query(({ ctx, input }) => apiView(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input.id, localeFromHeaders(ctx.headers)));
