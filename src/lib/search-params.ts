/** Reading a page's URL search params (Next.js hands each over as `string | string[] | undefined`). */

/** A parameter given once, trimmed; '' when absent or repeated (a repeated one is not trusted). */
export function oneParam(v: string | string[] | undefined): string {
  return typeof v === 'string' ? v.trim() : '';
}

/** `v` if it is one of `allowed`, else undefined. */
export function pickParam<T extends string>(allowed: readonly T[], v: string): T | undefined {
  return (allowed as readonly string[]).includes(v) ? (v as T) : undefined;
}
