import type { ComponentProps } from 'react';
import { Link } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';

export interface TabLink {
  key: string;
  href: ComponentProps<typeof Link>['href'];
  label: string;
  current: boolean;
  testId?: string;
}

/** A row of tabs that are links (the selected view lives in the URL); the current one is marked for assistive technology. */
export function TabLinks({ label, tabs, testId }: { label: string; tabs: readonly TabLink[]; testId?: string }) {
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1 border-b border-stone-200" data-testid={testId}>
      {tabs.map((tab) => (
        <Link
          key={tab.key}
          href={tab.href}
          aria-current={tab.current ? 'page' : undefined}
          data-testid={tab.testId}
          className={cn('-mb-px border-b-2 px-4 py-2 text-sm', tab.current ? 'border-brand-600 font-medium text-brand-700' : 'border-transparent text-stone-600 hover:text-stone-900')}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
