/**
 * The PostgreSQL error behind a driver or query-builder error: its SQLSTATE and the constraint it names.
 * postgres.js and PGlite raise it directly; drizzle wraps it as the `cause` of its own error.
 */
export function databaseErrorOf(error: unknown): { code: string; constraint: string } | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const c = e as { code?: unknown; constraint_name?: unknown; constraint?: unknown };
    if (typeof c.code === 'string' && /^[0-9A-Z]{5}$/.test(c.code)) return { code: c.code, constraint: String(c.constraint_name ?? c.constraint ?? '') };
  }
  return undefined;
}
