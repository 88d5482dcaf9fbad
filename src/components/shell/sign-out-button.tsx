'use client';

import { useHydrated } from '@/components/use-hydrated.ts';
import { useRouter } from '@/i18n/navigation.ts';
import { authClient } from '@/lib/auth-client.ts';

export function SignOutButton({ label }: { label: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  return (
    <button
      type="button"
      data-testid="sign-out"
      // Before hydration the click is not handled: the button waits for it rather than lose the click.
      disabled={!hydrated}
      className="text-stone-500 hover:text-stone-900 disabled:opacity-50"
      onClick={async () => {
        await authClient.signOut();
        router.push('/sign-in');
        router.refresh();
      }}
    >
      {label}
    </button>
  );
}
