import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../domains/audit/audit.service.ts';
import { createTestDb } from '../testing/test-db.ts';
import { sqlRows, type DbHandle, type DbOrTx } from './client.ts';
import { auditLog } from './schema/index.ts';

const entry = (action: string) => ({ action, entityType: 'probe', entityId: action });

async function actions(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ action: auditLog.action }).from(auditLog).orderBy(asc(auditLog.seq));
  return rows.map((r) => r.action);
}

/** Resolves when `pid`'s backend waits for a lock it has not been granted. */
async function waitingForLock(db: DbOrTx, pid: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const rows = await sqlRows(db, sql`select 1 as waiting from pg_locks where pid = ${pid} and not granted`);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backend ${pid} never waited for a lock`);
}

describe('audit entries written at the end of their transaction', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
    await handle.db.execute(sql`create table commit_tail_probe (id int primary key, n int not null)`);
    await handle.db.execute(sql`insert into commit_tail_probe values (1, 0)`);
  });
  afterAll(async () => handle.close());

  it('are not in the table while the transaction runs, and are there, in order, after it commits', async () => {
    const before = await actions(handle.db);
    const seenInside = await handle.db.transaction(async (tx) => {
      await appendAudit(tx, entry('tail.first'));
      await appendAudit(tx, entry('tail.second'));
      return actions(tx);
    });
    expect(seenInside).toEqual(before);
    expect(await actions(handle.db)).toEqual([...before, 'tail.first', 'tail.second']);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('a rolled-back savepoint drops its entries; the rest of the transaction keeps them', async () => {
    const before = await actions(handle.db);
    await handle.db.transaction(async (tx) => {
      await appendAudit(tx, entry('tail.outer'));
      await expect(
        tx.transaction(async (nested) => {
          await appendAudit(nested, entry('tail.rolled_back'));
          throw new Error('savepoint fails');
        }),
      ).rejects.toThrow('savepoint fails');
      await tx.transaction(async (nested) => appendAudit(nested, entry('tail.kept')));
    });
    expect(await actions(handle.db)).toEqual([...before, 'tail.outer', 'tail.kept']);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('a failed transaction writes none of its entries', async () => {
    const before = await actions(handle.db);
    await expect(
      handle.db.transaction(async (tx) => {
        await appendAudit(tx, entry('tail.failed'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await actions(handle.db)).toEqual(before);
  });

  it('outside a transaction an entry is written at once', async () => {
    await appendAudit(handle.db, entry('tail.autocommit'));
    expect((await actions(handle.db)).at(-1)).toBe('tail.autocommit');
  });

  // Two transactions, one on each connection: PGlite has one connection and runs transactions one after
  // the other, so the interleaving below only exists on PostgreSQL.
  it.runIf(process.env.DATABASE_URL)('audits, then locks a row another transaction holds while that one audits: both commit, no deadlock', async () => {
    let rowLocked!: () => void;
    const rowLockedByOther = new Promise<void>((resolve) => (rowLocked = resolve));
    let firstPid!: (pid: number) => void;
    const firstBackend = new Promise<number>((resolve) => (firstPid = resolve));

    const auditsThenLocks = handle.db.transaction(async (tx) => {
      const [me] = await sqlRows<{ pid: number }>(tx, sql`select pg_backend_pid() as pid`);
      await appendAudit(tx, entry('tail.audits_first'));
      firstPid(me!.pid);
      await rowLockedByOther;
      await tx.execute(sql`update commit_tail_probe set n = n + 1 where id = 1`);
    });
    const locksThenAudits = handle.db.transaction(async (tx) => {
      await tx.execute(sql`update commit_tail_probe set n = n + 10 where id = 1`);
      rowLocked();
      await waitingForLock(handle.db, await firstBackend);
      await appendAudit(tx, entry('tail.locks_first'));
    });

    await Promise.all([auditsThenLocks, locksThenAudits]);
    const [probe] = await sqlRows<{ n: number }>(handle.db, sql`select n from commit_tail_probe where id = 1`);
    expect(probe!.n).toBe(11);
    expect((await actions(handle.db)).slice(-2)).toEqual(['tail.locks_first', 'tail.audits_first']);
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });
});
