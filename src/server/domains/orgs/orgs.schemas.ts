import { z } from 'zod';
import { msg } from '../../../lib/messages.ts';
import { ORG_KINDS, ROLES } from '../../../lib/permissions.ts';
import { isRegionCode, normalizeUscc, usccProblem } from './identity.core.ts';
import { LICENCE_TYPES } from './licences.core.ts';

/** Shared zod schemas for organisation input (tRPC, REST, forms, seed). */
export const usccSchema = z
  .string()
  .transform(normalizeUscc)
  .superRefine((value, ctx) => {
    const problem = usccProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: msg(`field.uscc.${problem}`) });
  });

export const regionCodeSchema = z
  .string()
  .trim()
  .refine((v) => isRegionCode(v), { message: msg('field.region') });

const text = (max: number) => z.string().trim().min(1).max(max);

export const createOrgInput = z.object({
  name: text(100),
  kind: z.enum(ORG_KINDS.filter((k) => k !== 'operator') as ['grower', 'supplier', 'pharmacy', 'hospital', 'alliance']),
  uscc: usccSchema,
  regionCode: regionCodeSchema,
  address: text(200),
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type CreateOrgInput = z.infer<typeof createOrgInput>;

const isoDate = z.iso.date();

export const addLicenceInput = z
  .object({
    type: z.enum(LICENCE_TYPES),
    number: text(64),
    scope: text(500),
    validFrom: isoDate,
    expiresOn: isoDate,
    documentId: z.string().max(64).optional(),
  })
  .refine((v) => v.expiresOn > v.validFrom, { path: ['expiresOn'], message: msg('field.dateOrder') });
export type AddLicenceInput = z.infer<typeof addLicenceInput>;

export const inviteMemberInput = z.object({
  email: z.email().max(254),
  role: z.enum(ROLES.filter((r) => r !== 'owner') as ['buyer', 'sales', 'pharmacist', 'physician', 'alliance_officer', 'operator_admin']),
});

export const kybDecisionInput = z
  .object({
    orgId: z.string().min(1).max(64),
    decision: z.enum(['approved', 'rejected']),
    note: z.string().trim().max(500).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'rejected' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: msg('field.kybNoteRequired') });
  });
