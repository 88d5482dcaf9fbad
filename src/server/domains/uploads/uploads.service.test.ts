import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import type { DbHandle } from '../../db/client.ts';
import { orgProfile, organization } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { MAX_UPLOAD_BYTES } from './upload-type.core.ts';
import { readUpload, storeUpload, uploadsRoot } from './uploads.service.ts';

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

describe('uploads', () => {
  let handle: DbHandle;
  let dir: string;
  const orgA = newId('organization');
  const orgB = newId('organization');
  beforeAll(async () => {
    handle = await createTestDb();
    dir = mkdtempSync(path.join(tmpdir(), 'bencao-uploads-'));
    for (const [id, uscc] of [
      [orgA, '91330106MA2B00001Y'],
      [orgB, '91330106MA2B000022'],
    ] as const) {
      await handle.db.insert(organization).values({ id, name: id, slug: id });
      await handle.db.insert(orgProfile).values({ orgId: id, kind: 'pharmacy', uscc, regionCode: '330106', address: 'x', lat: 30, lng: 120 });
    }
  });
  afterAll(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a PDF outside the web root and only its organisation reads it back', async () => {
    const stored = await storeUpload(handle.db, dir, { userId: null, orgId: orgA }, { name: '../许可证.pdf', bytes: PDF });
    expect(stored).toMatchObject({ fileName: '许可证.pdf', contentType: 'application/pdf', sizeBytes: PDF.byteLength });
    const back = await readUpload(handle.db, dir, orgA, stored.id);
    expect(Buffer.from(back.bytes).equals(Buffer.from(PDF))).toBe(true);
    await expect(readUpload(handle.db, dir, orgB, stored.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses other types and oversized files, writing nothing', async () => {
    const before = readdirSync(dir, { recursive: true }).length;
    await expect(storeUpload(handle.db, dir, { userId: null, orgId: orgA }, { name: 'x.pdf', bytes: new TextEncoder().encode('<script>alert(1)</script>') })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'file' } });
    const big = new Uint8Array(MAX_UPLOAD_BYTES + 1);
    big.set(PDF);
    await expect(storeUpload(handle.db, dir, { userId: null, orgId: orgA }, { name: 'big.pdf', bytes: big })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { field: 'file' } });
    expect(readdirSync(dir, { recursive: true }).length).toBe(before);
  });

  it('leaves no file behind when the row cannot be written', async () => {
    const before = readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.pdf')).length;
    // An organisation that does not exist: the row's foreign key fails after the bytes were written.
    await expect(storeUpload(handle.db, dir, { userId: null, orgId: newId('organization') }, { name: 'x.pdf', bytes: PDF })).rejects.toThrow();
    expect(readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.pdf')).length).toBe(before);
  });

  it('refuses a data directory inside the web root (public/)', () => {
    expect(() => uploadsRoot(path.join(process.cwd(), 'public', 'data'))).toThrow(/web root/);
    expect(uploadsRoot(dir)).toBe(path.join(dir, 'uploads'));
  });
});
