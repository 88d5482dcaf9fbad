import type { ReactNode } from 'react';

/** A page's title with an optional one-paragraph introduction. */
export function PageHeader({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  return (
    <div>
      <h1 className="text-xl font-semibold">{title}</h1>
      {intro ? <p className="mt-1 max-w-3xl text-sm text-stone-600">{intro}</p> : null}
      {children}
    </div>
  );
}
