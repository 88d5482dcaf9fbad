import path from 'node:path';

/** Accepted upload types, recognised by their first bytes (never by the name or the browser's word). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const SIGNATURES: { type: 'application/pdf' | 'image/png' | 'image/jpeg'; ext: string; bytes: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', ext: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', ext: 'jpg', bytes: [0xff, 0xd8, 0xff] },
];

export function sniffUploadType(head: Uint8Array): { type: string; ext: string } | null {
  for (const sig of SIGNATURES) {
    if (sig.bytes.every((b, i) => head[i] === b)) return { type: sig.type, ext: sig.ext };
  }
  return null;
}

const LONE_SURROGATE = /^[\uD800-\uDFFF]$/;

/**
 * A safe display name: no path parts, no control or bidirectional-override characters, no lone
 * surrogates (a header cannot carry them), at most 120 UTF-16 units (never splitting a surrogate pair).
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const unsafe = (ch: string) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(ch) || /[\u202A-\u202E\u2066-\u2069]/.test(ch) || LONE_SURROGATE.test(ch);
  const cleaned = [...base].map((ch) => (unsafe(ch) ? '_' : ch)).join('').trim();
  let out = '';
  for (const ch of cleaned || 'file') {
    if (out.length + ch.length > 120) break;
    out += ch;
  }
  return out;
}

/** Whether `child` is `parent` or lies inside it (both resolved to absolute paths first). */
export function isInsideDir(child: string, parent: string): boolean {
  const relative = path.relative(path.resolve(parent), path.resolve(child));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
