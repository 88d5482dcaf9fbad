'use client';

import type { ButtonHTMLAttributes } from 'react';
import { useHydrated } from '@/components/use-hydrated.ts';
import { cn } from '@/lib/cn.ts';
import { buttonVariants, type ButtonVariantProps } from './button-variants.ts';

export type ButtonProps = ButtonHTMLAttributes<HTMLButtonElement> & ButtonVariantProps;

/**
 * A button. One with a click handler is disabled until the page has hydrated: before that the handler
 * is not attached, and a click would be lost without a sign. (A form's submit button: `SubmitButton`.)
 */
export function Button({ className, variant, size, type = 'button', disabled, onClick, ...props }: ButtonProps) {
  const hydrated = useHydrated();
  return <button type={type} className={cn(buttonVariants({ variant, size }), className)} disabled={disabled || (onClick !== undefined && !hydrated)} onClick={onClick} {...props} />;
}
