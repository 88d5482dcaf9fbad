import { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { defineJob } from '../../jobs/define.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { env } from '../../env.ts';
import { builderFor, BUILDERS } from './search.documents.ts';
import { createSearchIndex } from './search.ts';
import { DOCUMENT_KINDS, type DocumentKind, type SearchIndex } from './search.port.ts';

/**
 * Indexing through the outbox (ARCHITECTURE.md "Outbox"): a domain transaction that changes a
 * searchable row enqueues `search.index-documents` with the ids; the handler rebuilds those
 * documents from the database and upserts them (ids whose row is gone are removed). Idempotent: it
 * always writes the current state, so redelivery and reordering converge.
 */
export const indexDocumentsPayload = z.union([
  z.object({ kind: z.enum(DOCUMENT_KINDS), ids: z.array(z.string().min(1).max(64)).min(1).max(1000) }),
  z.object({ reindex: z.enum([...DOCUMENT_KINDS, 'all']) }),
]);
export type IndexDocumentsPayload = z.infer<typeof indexDocumentsPayload>;

const PAGE = 500;

/** Rebuilds the documents of one kind (or all) into `index`; reports progress after each page. */
export async function reindex(
  db: DbOrTx,
  index: SearchIndex,
  kind: DocumentKind | 'all',
  onProgress?: (done: number, total: number, kind: DocumentKind) => void,
): Promise<{ indexed: number; byKind: Partial<Record<DocumentKind, number>> }> {
  const byKind: Partial<Record<DocumentKind, number>> = {};
  let indexed = 0;
  for (const builder of BUILDERS) {
    if (kind !== 'all' && builder.kind !== kind) continue;
    const total = await builder.count(db);
    let after: string | null = null;
    let done = 0;
    for (;;) {
      const docs = await builder.page(db, after, PAGE);
      if (docs.length === 0) break;
      await index.upsert(docs);
      done += docs.length;
      after = docs[docs.length - 1]!.id;
      onProgress?.(done, Math.max(total, done), builder.kind);
      if (docs.length < PAGE) break;
    }
    byKind[builder.kind] = done;
    indexed += done;
  }
  return { indexed, byKind };
}

/** Indexes these documents now: current rows are upserted, vanished ones removed. */
export async function indexDocuments(db: DbOrTx, index: SearchIndex, kind: DocumentKind, ids: readonly string[]): Promise<void> {
  const builder = builderFor(kind);
  if (!builder) return;
  const docs = await builder.byIds(db, ids);
  if (docs.length > 0) await index.upsert(docs);
  const present = new Set(docs.map((doc) => doc.id));
  const gone = ids.filter((id) => !present.has(id));
  if (gone.length > 0) await index.remove(gone);
}

export async function handleIndexDocuments(db: DbOrTx, index: SearchIndex, payload: IndexDocumentsPayload): Promise<void> {
  if ('reindex' in payload) await reindex(db, index, payload.reindex);
  else await indexDocuments(db, index, payload.kind, payload.ids);
}

export const indexDocumentsJob = defineJob({
  name: 'search.index-documents',
  payload: indexDocumentsPayload,
  maxAttempts: 10,
  backoffMs: 2_000,
  async handler(payload, { db }) {
    const index = createSearchIndex(env(), db);
    try {
      await handleIndexDocuments(db, index, payload);
    } finally {
      await index.close?.();
    }
  },
});

/** Call inside the domain transaction that changed these rows. */
export async function enqueueIndexing(tx: DbOrTx, kind: DocumentKind, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await enqueue(tx, indexDocumentsJob, { kind, ids: [...ids] });
}
