import type { ReactNode } from 'react';

/** A page's title with an optional one-paragraph introduction, and its actions (links, buttons) in a row under them. */
export function PageHeader({ title, intro, children }: { title: string; intro?: string; children?: ReactNode }) {
  return (
    <div>
      {/* A long word — an order number — breaks at the screen edge instead of widening the page. */}
      <h1 className="text-xl font-semibold [overflow-wrap:anywhere]">{title}</h1>
      {intro ? <p className="mt-1 max-w-3xl text-sm text-stone-600">{intro}</p> : null}
      {children !== null && children !== undefined && children !== false ? <div className="mt-3 flex flex-wrap items-center gap-3">{children}</div> : null}
    </div>
  );
}
