'use client';

import { useRouter } from '@/i18n/navigation.ts';
import { authClient } from '@/lib/auth-client.ts';

export function SignOutButton({ label }: { label: string }) {
  const router = useRouter();
  return (
    <button
      type="button"
      className="text-stone-500 hover:text-stone-900"
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
