import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeFileName, sniffUploadType } from './upload-type.core.ts';

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
    fc.assert(fc.property(fc.string(), (s) => {
      const out = safeFileName(s);
      return out.length > 0 && out.length <= 120 && ![...out].some((ch) => ch === '/' || ch === '\\' || ch.charCodeAt(0) < 0x20);
    }));
  });
});
