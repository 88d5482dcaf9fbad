import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

describe('audit log hash chain', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('an empty chain verifies', async () => {
    expect(await verifyAuditChain(handle.db)).toEqual({ ok: true, rows: 0, firstBroken: null });
  });

  it('appends in order, survives concurrent writers and verifies', async () => {
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        handle.db.transaction((tx) => appendAudit(tx, { action: 'test.write', entityType: 'thing', entityId: `t${i}`, data: { i, name: '黄芪' } })),
      ),
    );
    const report = await verifyAuditChain(handle.db, 5);
    expect(report).toEqual({ ok: true, rows: 12, firstBroken: null });
  });

  it('a rolled back transaction leaves no entry', async () => {
    await expect(
      handle.db.transaction(async (tx) => {
        await appendAudit(tx, { action: 'test.rollback', entityType: 'thing', entityId: 'x' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, 'test.rollback'));
    expect(rows).toHaveLength(0);
  });

  it('the database refuses updates, deletes and truncation', async () => {
    await expect(handle.db.execute(sql`update audit_log set data = '{"i":99}'::jsonb where seq = 5`)).rejects.toThrow();
    await expect(handle.db.execute(sql`delete from audit_log where seq = 5`)).rejects.toThrow();
    await expect(handle.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('names the first tampered row when someone bypasses the trigger', async () => {
    await handle.db.execute(sql`alter table audit_log disable trigger audit_log_no_change`);
    await handle.db.execute(sql`update audit_log set data = '{"i":99}'::jsonb where seq = 5`);
    const report = await verifyAuditChain(handle.db, 4);
    expect(report.ok).toBe(false);
    expect(report.firstBroken).toMatchObject({ seq: 5, reason: 'hash_mismatch' });
  });

  it('detects a deleted row as a gap', async () => {
    await handle.db.execute(sql`delete from audit_log where seq = 3`);
    const report = await verifyAuditChain(handle.db);
    expect(report.firstBroken).toMatchObject({ seq: 4, reason: 'seq_gap' });
  });
});
