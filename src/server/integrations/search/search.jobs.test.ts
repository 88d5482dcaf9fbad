import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { herb } from '../../db/schema/catalog.ts';
import { HERBS } from '../../domains/catalog/herb-master.data.ts';
import { upsertHerbMasterData } from '../../domains/catalog/herbs.seed.ts';
import { createJobRunner } from '../../jobs/runner.ts';
import { appJobs } from '../../jobs/registry.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { PostgresSearchIndex } from './postgres.adapter.ts';
import { documentsFromHerbs } from './search.documents.ts';
import { enqueueIndexing, handleIndexDocuments, indexDocumentsJob, reindex } from './search.jobs.ts';

describe('search indexing through the outbox (postgres)', () => {
  let handle: DbHandle;
  let index: PostgresSearchIndex;
  beforeAll(async () => {
    handle = await createTestDb();
    await upsertHerbMasterData(handle.db);
    index = new PostgresSearchIndex(handle.db);
  });
  afterAll(async () => handle.close());

  it('builds one document per herb', async () => {
    const docs = await documentsFromHerbs(handle.db);
    expect(docs).toHaveLength(HERBS.length);
    expect(docs.find((d) => d.herbName === '半夏')?.processedForms).toContain('法半夏');
  });

  it('reindexes every herb with progress, idempotently', async () => {
    const progress: number[] = [];
    const first = await reindex(handle.db, index, 'all', (done) => progress.push(done));
    expect(first.indexed).toBe(HERBS.length);
    expect(progress.at(-1)).toBe(HERBS.length);
    await reindex(handle.db, index, 'herb');
    expect(await index.stats()).toEqual({ documents: HERBS.length, byKind: { herb: HERBS.length } });
    expect((await index.search({ q: 'hq' })).hits.map((h) => h.id)).toContain((await documentsFromHerbs(handle.db)).find((d) => d.herbName === '黄芪')!.id);
  });

  it('is registered, and an enqueued job re-reads the rows and removes vanished ids', async () => {
    expect(appJobs.get('search.index-documents')).toBe(indexDocumentsJob);
    const [hq] = await handle.db.select({ id: herb.id }).from(herb).where(eq(herb.name, '黄芪'));
    await handle.db.update(herb).set({ aliases: ['黄耆', '北芪', '绵芪', '生黄芪', '测试别名'] }).where(eq(herb.id, hq!.id));
    await index.upsert([{ id: 'hrb_gone', kind: 'herb', title: '幽灵', herbName: '幽灵', aliases: [], processedForms: [], latin: '', pinyin: 'you ling', initials: 'yl', updatedAt: '2020-01-01T00:00:00Z' }]);
    await handle.db.transaction(async (tx) => enqueueIndexing(tx, 'herb', [hq!.id, 'hrb_gone']));
    const runner = createJobRunner({ db: handle.db, registry: appJobs });
    await runner.drainOnce?.();
    expect((await index.search({ q: '测试别名' })).hits.map((h) => h.id)).toEqual([hq!.id]);
    expect((await index.search({ q: '幽灵' })).total).toBe(0);
    // At-least-once: delivering the same payload again changes nothing.
    await handleIndexDocuments(handle.db, index, { kind: 'herb', ids: [hq!.id, 'hrb_gone'] });
    expect((await index.stats()).documents).toBe(HERBS.length);
  });

  it('rejects a malformed payload at enqueue', async () => {
    await expect(handle.db.transaction(async (tx) => enqueueIndexing(tx, 'herb', ['']))).rejects.toThrow();
  });
});
