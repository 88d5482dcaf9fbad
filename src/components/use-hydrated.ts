'use client';

import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the page, true after. A form whose submit
 * is handled in the browser keeps its button disabled until then: a click before hydration would
 * otherwise submit natively and reload the page (losing, say, the catalogue's search).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
