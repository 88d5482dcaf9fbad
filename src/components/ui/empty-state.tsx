import type { ReactNode } from 'react';

export function EmptyState({ title, description, action }: { title: string; description?: string; action?: ReactNode }) {
  return (
    <div className="flex flex-col items-center justify-center rounded-lg border border-dashed border-stone-300 px-6 py-10 text-center" data-testid="empty-state">
      <p className="font-medium text-stone-700">{title}</p>
      {description ? <p className="mt-1 max-w-md text-sm text-stone-500">{description}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
