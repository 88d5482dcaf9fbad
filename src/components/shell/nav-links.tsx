'use client';

import { Link, usePathname } from '@/i18n/navigation.ts';
import { cn } from '@/lib/cn.ts';

export function NavLinks({ items }: { items: { href: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <>
      {items.map((item) => {
        const active = pathname === item.href || (item.href !== '/org' && pathname.startsWith(`${item.href}/`));
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={cn('shrink-0 whitespace-nowrap rounded-md px-3 py-1.5 text-sm text-stone-600 hover:bg-stone-100 hover:text-stone-900', active && 'bg-brand-50 font-medium text-brand-700')}
          >
            {item.label}
          </Link>
        );
      })}
    </>
  );
}
