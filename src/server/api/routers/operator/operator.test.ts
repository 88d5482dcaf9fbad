import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.ts';
import { auditLog, member, orgProfile } from '../../../db/schema/index.ts';
import { outboxEvent } from '../../../db/schema/jobs.ts';
import { usccCheckChar } from '../../../domains/orgs/identity.core.ts';
import { createTestApp, errorOf, orgKybStatus, type TestApp } from '../../../testing/test-app.ts';

type Api = Awaited<ReturnType<TestApp['caller']>>;

/** A valid unified social credit code (with its check character) numbered `n`. */
function uscc(n: number): string {
  const first17 = `91330106MA2C${String(n).padStart(5, '0')}`;
  return first17 + usccCheckChar(first17);
}

const orgInput = (n: number, over: Record<string, unknown> = {}) => ({
  name: `测试药房${n}`,
  kind: 'pharmacy' as const,
  uscc: uscc(n),
  regionCode: '330106',
  address: `杭州市西湖区文三路 ${n} 号`,
  lat: 30.28,
  lng: 120.13,
  ...over,
});

const en = (headers: Headers) => new Headers([...headers.entries(), ['accept-language', 'en-US']]);

async function insertJob(app: TestApp, over: Partial<typeof outboxEvent.$inferInsert> = {}): Promise<string> {
  const id = newId('outbox');
  await app.handle.db.insert(outboxEvent).values({ id, job: 'email.send', payload: { to: 'ops@example.cn' }, ...over });
  return id;
}

async function jobRow(app: TestApp, id: string) {
  const [row] = await app.handle.db.select().from(outboxEvent).where(eq(outboxEvent.id, id));
  return row;
}

async function auditCount(app: TestApp): Promise<number> {
  const [row] = await app.handle.db.select({ n: sql<number>`count(*)::int` }).from(auditLog);
  return Number(row?.n ?? 0);
}

describe('operator procedures: KYB, audit log, jobs', () => {
  let app: TestApp;
  let op: Api;
  let opHeaders: Headers;
  let opUserId: string;
  let opOrgId: string;
  const owners: { headers: Headers; orgId: string; api: Api }[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    const opUser = await app.signUp('ops@bencao.example', '运营');
    opUserId = opUser.userId;
    opHeaders = opUser.headers;
    opOrgId = await app.makeOperator(opUser.userId);
    await (await app.caller(opHeaders)).orgs.setActive({ orgId: opOrgId });
    op = await app.caller(opHeaders);
    for (const n of [1, 2, 3]) {
      const owner = await app.signUp(`owner${n}@example.cn`, `店长${n}`);
      const { id } = await (await app.caller(owner.headers)).orgs.create(orgInput(n, n === 3 ? { kind: 'hospital', name: '测试医院3' } : {}));
      owners.push({ headers: owner.headers, orgId: id, api: await app.caller(owner.headers) });
    }
  });
  afterAll(async () => app.close());

  describe('KYB review', () => {
    it('lists the pending queue oldest first with the identity fields', async () => {
      const queue = await op.operator.kybQueue({ status: 'pending' });
      expect(queue.map((o) => o.id)).toEqual(owners.map((o) => o.orgId));
      expect(queue[0]).toMatchObject({ name: '测试药房1', kind: 'pharmacy', uscc: uscc(1), regionCode: '330106', address: '杭州市西湖区文三路 1 号', kybStatus: 'pending' });
      expect(queue[0]!.createdAt).toBeInstanceOf(Date);
      expect(queue[2]).toMatchObject({ kind: 'hospital' });
      // The default tab is the pending queue; nothing decided yet.
      expect((await op.operator.kybQueue({})).length).toBe(3);
      // Only the platform operator organisation itself is approved so far.
      expect((await op.operator.kybQueue({ status: 'approved' })).map((o) => o.id)).toEqual([opOrgId]);
      expect(await op.operator.kybQueue({ status: 'rejected' })).toEqual([]);
    });

    it('approves and rejects with a note, records both in the audit log and moves the rows between tabs', async () => {
      const [a, b] = owners;
      expect(await op.operator.decideKyb({ orgId: a!.orgId, decision: 'approved', note: '资料齐全' })).toEqual({ orgId: a!.orgId, kybStatus: 'approved' });
      expect(await op.operator.decideKyb({ orgId: b!.orgId, decision: 'rejected', note: '营业执照照片不清晰，请重新上传' })).toEqual({ orgId: b!.orgId, kybStatus: 'rejected' });
      expect(await orgKybStatus(app, a!.orgId)).toBe('approved');
      expect(await orgKybStatus(app, b!.orgId)).toBe('rejected');
      const [profile] = await app.handle.db.select().from(orgProfile).where(eq(orgProfile.orgId, b!.orgId));
      expect(profile).toMatchObject({ kybNote: '营业执照照片不清晰，请重新上传', kybReviewedBy: opUserId });

      expect((await op.operator.kybQueue({ status: 'pending' })).map((o) => o.id)).toEqual([owners[2]!.orgId]);
      expect((await op.operator.kybQueue({ status: 'approved' })).map((o) => o.id)).toEqual([opOrgId, a!.orgId]);
      expect((await op.operator.kybQueue({ status: 'rejected' })).map((o) => o.id)).toEqual([b!.orgId]);

      const [rejected] = await op.operator.auditLog({ action: 'kyb.rejected' });
      expect(rejected).toMatchObject({ actorUserId: opUserId, actorOrgId: opOrgId, orgId: b!.orgId, entityType: 'organization', entityId: b!.orgId, data: { from: 'pending', to: 'rejected', note: '营业执照照片不清晰，请重新上传' } });
      // The owner sees the outcome on the organisation page.
      expect((await owners[1]!.api.orgs.current()).profile).toMatchObject({ kybStatus: 'rejected', kybNote: '营业执照照片不清晰，请重新上传' });
    });

    it('refuses a second decision, an unknown organisation and bad input, changing nothing', async () => {
      const before = await auditCount(app);
      const again = await errorOf(() => op.operator.decideKyb({ orgId: owners[0]!.orgId, decision: 'rejected', note: '重复' }), opHeaders);
      expect(again).toMatchObject({ data: { code: 'CONFLICT', appCode: 'INVALID_TRANSITION', field: 'orgId' }, message: expect.stringContaining('审核已完成') });
      expect(await errorOf(() => op.operator.decideKyb({ orgId: 'org_missing', decision: 'approved' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'orgId' } });
      expect(await errorOf(() => op.operator.decideKyb({ orgId: owners[2]!.orgId, decision: 'maybe' as never }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'decision' } });
      expect(await errorOf(() => op.operator.decideKyb({ orgId: owners[2]!.orgId, decision: 'rejected', note: 'x'.repeat(501) }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'note' } });
      expect(await errorOf(() => op.operator.kybQueue({ status: 'all' as never }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'status' } });
      expect(await orgKybStatus(app, owners[0]!.orgId)).toBe('approved');
      expect(await orgKybStatus(app, owners[2]!.orgId)).toBe('pending');
      expect(await auditCount(app)).toBe(before);
    });
  });

  describe('audit log', () => {
    it('pages newest first by beforeSeq without gaps or overlaps', async () => {
      const total = await auditCount(app);
      expect(total).toBeGreaterThanOrEqual(5);
      const seen: number[] = [];
      let beforeSeq: number | undefined;
      for (let page = 0; page < 10; page += 1) {
        const rows = await op.operator.auditLog({ limit: 2, beforeSeq });
        if (rows.length === 0) break;
        expect(rows.length).toBeLessThanOrEqual(2);
        seen.push(...rows.map((r) => r.seq));
        beforeSeq = rows[rows.length - 1]!.seq;
      }
      expect(seen).toEqual(Array.from({ length: total }, (_, i) => total - i));
      const [newest] = await op.operator.auditLog({ limit: 1 });
      expect(newest).toMatchObject({ seq: total, hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(typeof newest!.at).toBe('string');
    });

    it('filters by action, entity type, entity and organisation', async () => {
      const created = await op.operator.auditLog({ action: 'org.created' });
      expect(created.map((r) => r.entityId).sort()).toEqual(owners.map((o) => o.orgId).sort());
      const forB = await op.operator.auditLog({ orgId: owners[1]!.orgId });
      expect(forB.map((r) => r.action)).toEqual(['kyb.rejected', 'org.created']);
      expect(forB.every((r) => r.orgId === owners[1]!.orgId)).toBe(true);
      const orgs = await op.operator.auditLog({ entityType: 'organization', action: 'kyb.approved' });
      expect(orgs).toHaveLength(1);
      expect(orgs[0]!.entityId).toBe(owners[0]!.orgId);
      expect(await op.operator.auditLog({ entityType: 'organization', entityId: owners[2]!.orgId })).toHaveLength(1);
      expect(await op.operator.auditLog({ action: 'no.such.action' })).toEqual([]);
      expect(await errorOf(() => op.operator.auditLog({ limit: 201 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'limit' } });
      expect(await errorOf(() => op.operator.auditLog({ beforeSeq: 0 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'beforeSeq' } });
    });

    it('verifies an intact chain', async () => {
      expect(await op.operator.verifyAudit()).toEqual({ ok: true, rows: await auditCount(app), firstBroken: null });
    });
  });

  describe('jobs', () => {
    let failedA: string;
    let failedB: string;
    let pending: string;
    let done: string;

    beforeAll(async () => {
      const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
      done = await insertJob(app, { status: 'done', attempts: 1, createdAt: minutesAgo(40), completedAt: minutesAgo(39) });
      failedA = await insertJob(app, { job: 'search.index', status: 'failed', attempts: 5, lastError: 'Error: meili unreachable', createdAt: minutesAgo(30) });
      pending = await insertJob(app, { status: 'pending', createdAt: minutesAgo(20) });
      failedB = await insertJob(app, { status: 'failed', attempts: 5, lastError: 'Error: smtp 550', createdAt: minutesAgo(10) });
    });

    it('answers counts per status and the newest jobs, filtered by status', async () => {
      const all = await op.operator.jobs({});
      expect(all.counts).toEqual({ pending: 1, dispatched: 0, done: 1, failed: 2 });
      expect(all.jobs.map((j) => j.id)).toEqual([failedB, pending, failedA, done]);
      expect(all.jobs[0]).toMatchObject({ job: 'email.send', status: 'failed', attempts: 5, maxAttempts: 5, lastError: 'Error: smtp 550', completedAt: null });
      expect(all.jobs[0]!.runAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(all.jobs[0]).not.toHaveProperty('payload');

      const failed = await op.operator.jobs({ status: 'failed' });
      expect(failed.jobs.map((j) => j.id)).toEqual([failedB, failedA]);
      expect(failed.counts.failed).toBe(2);
      expect((await op.operator.jobs({ status: 'failed', limit: 1 })).jobs.map((j) => j.id)).toEqual([failedB]);
      expect((await op.operator.jobs({ status: 'dispatched' })).jobs).toEqual([]);
      expect(await errorOf(() => op.operator.jobs({ limit: 201 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'limit' } });
      expect(await errorOf(() => op.operator.jobs({ limit: 0 }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'limit' } });
      expect(await errorOf(() => op.operator.jobs({ status: 'stuck' as never }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'status' } });
    });

    it('retries a failed job (failed → pending, attempts start over) and audits it', async () => {
      const retried = await op.operator.retryJob({ id: failedA });
      expect(retried).toMatchObject({ id: failedA, status: 'pending', attempts: 0, lastError: 'Error: meili unreachable' });
      expect(await jobRow(app, failedA)).toMatchObject({ status: 'pending', attempts: 0 });
      const [entry] = await op.operator.auditLog({ action: 'job.retried' });
      expect(entry).toMatchObject({ actorUserId: opUserId, actorOrgId: opOrgId, orgId: null, entityType: 'outbox_event', entityId: failedA, data: { job: 'search.index', from: 'failed', to: 'pending' } });
    });

    it('discards a failed job (failed → done, the note kept with the error) and audits it', async () => {
      const discarded = await op.operator.discardJob({ id: failedB, note: '已人工补发邮件' });
      expect(discarded).toMatchObject({ id: failedB, status: 'done' });
      expect(discarded.lastError).toBe('Error: smtp 550\n[discarded by an operator: 已人工补发邮件]');
      expect(discarded.completedAt).not.toBeNull();
      const [entry] = await op.operator.auditLog({ action: 'job.discarded' });
      expect(entry).toMatchObject({ entityType: 'outbox_event', entityId: failedB, data: { job: 'email.send', from: 'failed', to: 'done', note: '已人工补发邮件' } });
      expect((await op.operator.jobs({})).counts).toEqual({ pending: 2, dispatched: 0, done: 2, failed: 0 });
    });

    it('refuses jobs that are not failed and unknown ids with a translated message, writing nothing', async () => {
      const before = await auditCount(app);
      const zh = await errorOf(() => op.operator.retryJob({ id: pending }), opHeaders);
      expect(zh).toMatchObject({ data: { code: 'CONFLICT', appCode: 'INVALID_TRANSITION', field: 'id' }, message: '该任务当前状态为 pending，只有失败的任务可以重试或放弃。' });
      const english = await errorOf(() => op.operator.discardJob({ id: done }), en(opHeaders));
      expect(english).toMatchObject({ data: { code: 'CONFLICT', field: 'id' }, message: 'This job is done; only failed jobs can be retried or discarded.' });
      expect(await errorOf(() => op.operator.retryJob({ id: 'evt_missing' }), opHeaders)).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' }, message: '找不到该任务。' });
      expect(await errorOf(() => op.operator.discardJob({ id: '' }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'id' } });
      expect(await errorOf(() => op.operator.discardJob({ id: failedA, note: 'x'.repeat(501) }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'note' } });
      expect(await jobRow(app, pending)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await jobRow(app, done)).toMatchObject({ status: 'done', lastError: null });
      expect(await auditCount(app)).toBe(before);
    });
  });

  describe('authorisation', () => {
    it('refuses every operator procedure to an unrelated owner, a pharmacist, API keys, an org-less user and an anonymous caller; nothing changes', async () => {
      const failedJob = await insertJob(app, { status: 'failed', attempts: 5, lastError: 'Error: boom' });
      const pendingOrg = owners[2]!.orgId;

      // A pharmacist of organisation 1.
      const invitation = await owners[0]!.api.orgs.invite({ email: 'yaoshi@example.cn', role: 'pharmacist' });
      const pharmacist = await app.signUp('yaoshi@example.cn', '李药师');
      await (await app.caller(pharmacist.headers)).orgs.acceptInvitation({ id: invitation.id });
      // API keys: of a member organisation, and of the operator organisation itself (platform
      // permissions are never granted to keys).
      const orgKey = await owners[0]!.api.orgs.createApiKey({ name: 'HIS' });
      // Operator admins hold no apikey:manage; the owner of the operator organisation does.
      const opOwner = await app.signUp('boss@bencao.example', '平台负责人');
      await app.handle.db.insert(member).values({ id: newId('member'), organizationId: opOrgId, userId: opOwner.userId, role: 'owner' });
      await (await app.caller(opOwner.headers)).orgs.setActive({ orgId: opOrgId });
      const opKey = await (await app.caller(opOwner.headers)).orgs.createApiKey({ name: 'ops script' });
      const loner = await app.signUp('loner@example.cn', '无机构');

      const callers: [string, Headers, 'FORBIDDEN' | 'UNAUTHORIZED'][] = [
        ['an unrelated organisation owner', owners[1]!.headers, 'FORBIDDEN'],
        ['a hospital owner', owners[2]!.headers, 'FORBIDDEN'],
        ['a pharmacist', pharmacist.headers, 'FORBIDDEN'],
        ['an organisation API key', new Headers({ authorization: `Bearer ${orgKey.key}` }), 'FORBIDDEN'],
        ['a signed-in user without an organisation', loner.headers, 'FORBIDDEN'],
        ['an anonymous caller', new Headers(), 'UNAUTHORIZED'],
        ['an API key of the operator organisation', new Headers({ authorization: `Bearer ${opKey.key}` }), 'FORBIDDEN'],
        ['an invalid API key', new Headers({ authorization: 'Bearer not-a-real-key' }), 'UNAUTHORIZED'],
      ];

      const beforeAudit = await auditCount(app);
      for (const [who, headers, code] of callers) {
        const api = await app.caller(headers);
        const attempts: [string, () => Promise<unknown>][] = [
          ['kybQueue', () => api.operator.kybQueue({ status: 'pending' })],
          ['decideKyb', () => api.operator.decideKyb({ orgId: pendingOrg, decision: 'approved', note: 'self-approval' })],
          ['auditLog', () => api.operator.auditLog({})],
          ['verifyAudit', () => api.operator.verifyAudit()],
          ['jobs', () => api.operator.jobs({})],
          ['retryJob', () => api.operator.retryJob({ id: failedJob })],
          ['discardJob', () => api.operator.discardJob({ id: failedJob })],
        ];
        for (const [procedure, call] of attempts) {
          const error = await errorOf(call);
          expect({ who, procedure, code: error.data.code }).toEqual({ who, procedure, code });
        }
      }
      expect(await orgKybStatus(app, pendingOrg)).toBe('pending');
      expect(await jobRow(app, failedJob)).toMatchObject({ status: 'failed', attempts: 5, lastError: 'Error: boom' });
      expect(await auditCount(app)).toBe(beforeAudit);
    });
  });

  describe('chain verification', () => {
    it('names the first tampered row (run last: it breaks the chain)', async () => {
      const total = await auditCount(app);
      await app.handle.db.execute(sql`alter table audit_log disable trigger audit_log_no_change`);
      await app.handle.db.execute(sql`update audit_log set data = '{"note":"改过"}'::jsonb where seq = 3`);
      const report = await op.operator.verifyAudit();
      expect(report).toMatchObject({ ok: false, rows: total, firstBroken: { seq: 3, reason: 'hash_mismatch', id: expect.stringMatching(/^aud_/) } });
    });
  });
});
