import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInsideDir, safeFileName, sniffUploadType } from './upload-type.core.ts';

/** No lone surrogate (what String.prototype.isWellFormed answers). */
const wellFormed = (s: string) => !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));

describe('upload type sniffing', () => {
  it('recognises PDF, PNG and JPEG by their bytes', () => {
    expect(sniffUploadType(new TextEncoder().encode('%PDF-1.7\n'))?.type).toBe('application/pdf');
    expect(sniffUploadType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.type).toBe('image/png');
    expect(sniffUploadType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]))?.type).toBe('image/jpeg');
  });

  it('refuses anything else, including HTML and scripts named .pdf', () => {
    expect(sniffUploadType(new TextEncoder().encode('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffUploadType(new Uint8Array())).toBeNull();
  });

  it('file names lose path parts and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\x\\许可证.pdf')).toBe('许可证.pdf');
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      const out = safeFileName(s);
      return out.length > 0 && out.length <= 120 && ![...out].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20) && wellFormed(out) && encodeURIComponent(out).length > 0;
    }));
  });

  it('file names lose bidirectional overrides and lone surrogates, and long names never split a surrogate pair', () => {
    expect(safeFileName('\u202Egnp.exe')).toBe('_gnp.exe');
    expect(safeFileName('a\uD800b.pdf')).toBe('a_b.pdf');
    const emoji = safeFileName('🌿'.repeat(100));
    expect(emoji.length).toBe(120);
    expect(wellFormed(emoji)).toBe(true);
  });

  it('knows when a directory lies inside another (the web root)', () => {
    expect(isInsideDir('/srv/app/public/uploads', '/srv/app/public')).toBe(true);
    expect(isInsideDir('/srv/app/public', '/srv/app/public')).toBe(true);
    expect(isInsideDir('/srv/app/.data/uploads', '/srv/app/public')).toBe(false);
    expect(isInsideDir('/srv/app/public-assets', '/srv/app/public')).toBe(false);
    expect(isInsideDir('/srv/app/public/../.data', '/srv/app/public')).toBe(false);
  });
});
