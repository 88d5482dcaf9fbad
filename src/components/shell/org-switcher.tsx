'use client';

import { useMutation } from '@tanstack/react-query';
import { useHydrated } from '@/components/use-hydrated.ts';
import { Link, useRouter } from '@/i18n/navigation.ts';
import { useTRPC } from '@/lib/trpc-client.ts';

export function OrgSwitcher({
  activeOrgId,
  orgs,
  labels,
}: {
  activeOrgId: string | null;
  orgs: { id: string; name: string; kind: string }[];
  labels: { switchOrg: string; noOrg: string; createOrg: string };
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const hydrated = useHydrated();
  const setActive = useMutation(trpc.orgs.setActive.mutationOptions({ onSuccess: () => router.refresh() }));
  if (orgs.length === 0) {
    // A link: it works before the page has hydrated, and without JavaScript.
    return (
      <Link href="/onboarding" className="text-brand-700 hover:underline">
        {labels.createOrg}
      </Link>
    );
  }
  return (
    <label className="flex items-center gap-2">
      <span className="sr-only">{labels.switchOrg}</span>
      <select
        data-testid="org-switcher"
        className="h-8 max-w-40 rounded-md sm:max-w-56 border border-stone-300 bg-white px-2 text-sm"
        value={activeOrgId ?? ''}
        // Until hydration a change would not be handled (the select would show an organisation not switched to).
        disabled={!hydrated || setActive.isPending}
        onChange={(e) => {
          if (e.target.value === '__new') router.push('/onboarding');
          else if (e.target.value) setActive.mutate({ orgId: e.target.value });
        }}
      >
        {activeOrgId ? null : <option value="">{labels.noOrg}</option>}
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}（{o.kind}）
          </option>
        ))}
        <option value="__new">＋ {labels.createOrg}</option>
      </select>
    </label>
  );
}
