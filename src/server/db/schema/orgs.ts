import { doublePrecision, index, pgTable, text, timestamp, uniqueIndex, date } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';

/** Platform facts about an organisation beside better-auth's `organization` row (same id). */
export const orgProfile = pgTable(
  'org_profile',
  {
    orgId: text('org_id')
      .primaryKey()
      .references(() => organization.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    uscc: text('uscc').notNull(),
    regionCode: text('region_code').notNull(),
    address: text('address').notNull(),
    lat: doublePrecision('lat').notNull(),
    lng: doublePrecision('lng').notNull(),
    /** KYB review: pending → approved | rejected (an operator decides). */
    kybStatus: text('kyb_status').notNull().default('pending'),
    kybNote: text('kyb_note'),
    kybReviewedBy: text('kyb_reviewed_by').references(() => user.id),
    kybReviewedAt: timestamp('kyb_reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('org_profile_uscc_uq').on(t.uscc),
    index('org_profile_kyb_idx').on(t.kybStatus),
    // Routing filters pharmacies by a lat/lng box around the patient.
    index('org_profile_kind_lat_idx').on(t.kind, t.lat),
  ],
);

/** Licences an organisation holds (药品生产许可证, 药品经营许可证, 医疗机构执业许可证, GAP). */
export const licence = pgTable(
  'licence',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    number: text('number').notNull(),
    scope: text('scope').notNull(),
    validFrom: date('valid_from').notNull(),
    expiresOn: date('expires_on').notNull(),
    documentId: text('document_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('licence_org_idx').on(t.orgId), uniqueIndex('licence_type_number_uq').on(t.type, t.number)],
);

/** Uploaded files (licence scans, quality reports). Bytes live outside the web root. */
export const upload = pgTable(
  'upload',
  {
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: doublePrecision('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: text('uploaded_by').references(() => user.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('upload_org_idx').on(t.orgId)],
);
