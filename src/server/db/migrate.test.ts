import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, sqlRows, type DbHandle } from './client.ts';
import { migrate, MIGRATIONS_DIR } from './migrate.ts';
import { createTestDb } from '../testing/test-db.ts';

describe('migrations', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('creates every table and the trigram extension', async () => {
    const tables = await sqlRows<{ table_name: string }>(
      handle.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    const names = tables.map((r) => r.table_name);
    expect(names).toEqual(expect.arrayContaining(['user', 'organization', 'member', 'apikey', 'org_profile', 'licence', 'audit_log', 'outbox_event', 'herb']));
    const [sim] = await sqlRows<{ s: number }>(handle.db, sql`select similarity('黄芪', '黄连') as s`);
    expect(Number(sim!.s)).toBeCloseTo(0.2, 5);
  });
});

describe('migration 0023: alliance membership needs consent', () => {
  it('keeps the memberships made before it as accepted members, joined when they were', async () => {
    // The migrations up to 0022, applied to an empty database holding one membership, then the rest.
    const dir = mkdtempSync(path.join(tmpdir(), 'bencao-migrations-'));
    const handle = await createDb({ inMemory: true });
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      const journalPath = path.join(dir, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
      const consent = journal.entries.find((e) => e.tag.endsWith('_alliance_membership_consent'))!;
      writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < consent.idx) }));
      await migrate(handle, dir);
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('org_a', '联盟', 'org-a'), ('org_h', '医院', 'org-h')`);
      await handle.db.execute(sql`insert into alliance_member (id, alliance_org_id, member_org_id, joined_at) values ('alm_old', 'org_a', 'org_h', '2030-01-02T03:04:05Z')`);
      await migrate(handle);
      const [row] = await sqlRows<{ status: string; invited_at: string; answered_at: string; joined_at: string }>(handle.db, sql`select status, invited_at::text, answered_at::text, joined_at::text from alliance_member where id = 'alm_old'`);
      expect(row?.status).toBe('accepted');
      expect(row?.invited_at).toBe(row?.joined_at);
      expect(row?.answered_at).toBe(row?.joined_at);
      // A row written without a status is an invitation, never a membership.
      await handle.db.execute(sql`insert into organization (id, name, slug) values ('org_p', '药店', 'org-p')`);
      await handle.db.execute(sql`insert into alliance_member (id, alliance_org_id, member_org_id) values ('alm_new', 'org_a', 'org_p')`);
      const [fresh] = await sqlRows<{ status: string; joined_at: string | null }>(handle.db, sql`select status, joined_at from alliance_member where id = 'alm_new'`);
      expect(fresh).toEqual({ status: 'invited', joined_at: null });
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
