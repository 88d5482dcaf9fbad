import { customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { lot } from './catalog-trade.ts';
import { upload } from './orgs.ts';

/** Raw bytes (`bytea`): postgres.js answers a Buffer, PGlite a Uint8Array; both are Uint8Arrays. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  toDriver(value) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  },
  fromDriver(value) {
    return value instanceof Uint8Array ? value : new Uint8Array(value);
  },
});

/**
 * Documents attached to a lot (the quality report 质检报告, …): an organisation upload of the lot's
 * seller. The public trace page says that one is attached, never serves the file.
 */
export const lotDocument = pgTable(
  'lot_document',
  {
    lotId: text('lot_id')
      .notNull()
      .references(() => lot.id, { onDelete: 'cascade' }),
    uploadId: text('upload_id')
      .notNull()
      .references(() => upload.id, { onDelete: 'cascade' }),
    /** quality_report | other */
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.lotId, t.uploadId] }), index('lot_document_upload_idx').on(t.uploadId)],
);

export interface ImportRowError {
  /** 1-based data row number as the user sees it in the spreadsheet (the header is row 1). */
  row: number;
  field: string;
  message: string;
}

/** One bulk import of products/lots/listings from a CSV or XLSX file, delivered as the `catalog.import-file` job. */
export const importJob = pgTable(
  'import_job',
  {
    /** `imp_…` */
    id: text('id').primaryKey(),
    orgId: text('org_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => user.id, { onDelete: 'set null' }),
    /** catalog (products + lots + listings) */
    kind: text('kind').notNull().default('catalog'),
    fileName: text('file_name').notNull(),
    /** csv | xlsx, from the file's bytes */
    fileType: text('file_type').notNull(),
    fileBytes: bytea('file_bytes').notNull(),
    /** queued | running | done | failed */
    status: text('status').notNull().default('queued'),
    /** all_or_nothing | valid_rows */
    mode: text('mode').notNull(),
    totalRows: integer('total_rows').notNull().default(0),
    processedRows: integer('processed_rows').notNull().default(0),
    okRows: integer('ok_rows').notNull().default(0),
    errorRows: integer('error_rows').notNull().default(0),
    errors: jsonb('errors').$type<ImportRowError[]>().notNull().default([]),
    /** A file-level failure (wrong headers, unreadable file), as a message key with parameters. */
    message: text('message'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('import_job_org_idx').on(t.orgId, t.createdAt)],
);

/** Rows of an import already written: the job's idempotency record (a redelivery skips them). */
export const importRow = pgTable(
  'import_row',
  {
    jobId: text('job_id')
      .notNull()
      .references(() => importJob.id, { onDelete: 'cascade' }),
    rowNo: integer('row_no').notNull(),
    productId: text('product_id').notNull(),
    lotId: text('lot_id').notNull(),
    listingId: text('listing_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNo] })],
);
