import 'server-only';
import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert.tsx';
import { redirect } from '@/i18n/navigation.ts';
import type { Permission } from '@/lib/permissions.ts';
import { viewer } from '@/server/api/server-caller.ts';

/**
 * Guard for the platform operator pages: signed-out callers go to sign-in (and come back here);
 * a caller without `permission` in the active organisation gets a clear "no permission" message.
 * Answers null when the page may render, otherwise the message to render instead.
 */
export async function operatorAccess(locale: string, path: string, permission: Permission): Promise<ReactNode | null> {
  const v = await viewer();
  if (!v.user) return redirect({ href: { pathname: '/sign-in', query: { next: path } }, locale });
  if (v.activeOrg && v.permissions.includes(permission)) return null;
  const t = await getTranslations('operator.access');
  return (
    <div className="mx-auto max-w-2xl" data-testid="no-permission">
      <Alert tone="warning" title={t('title')}>
        <p className="mt-1">{v.activeOrg ? t('forbidden', { permission }) : t('noOrg')}</p>
      </Alert>
    </div>
  );
}
