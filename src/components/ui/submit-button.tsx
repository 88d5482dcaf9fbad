'use client';

import { useHydrated } from '@/components/use-hydrated.ts';
import { Button, type ButtonProps } from './button.tsx';

/**
 * The submit button of a form handled in the browser: disabled until the page has hydrated, and while
 * `disabled`. Before hydration the form has no handler, so a click (or Enter in a field: a disabled
 * default button blocks implicit submission) would submit it natively — reloading the page, dropping
 * what was typed, and putting named fields in the URL. Forms that work without JavaScript (the
 * catalogue's filters, the herb search) use a plain button instead.
 */
export function SubmitButton({ disabled, ...props }: Omit<ButtonProps, 'type'>) {
  const hydrated = useHydrated();
  return <Button type="submit" disabled={!hydrated || disabled} {...props} />;
}
