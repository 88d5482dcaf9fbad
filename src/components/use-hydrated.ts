'use client';

import { useSyncExternalStore } from 'react';

const never = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the page, true after. A form whose submit
 * is handled in the browser keeps its button disabled until then (`SubmitButton`), and so may an
 * action button whose click would otherwise be lost.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
