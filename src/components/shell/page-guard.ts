import 'server-only';
import { notFound } from 'next/navigation';
import { redirect } from '@/i18n/navigation.ts';
import type { Permission } from '@/lib/permissions.ts';
import { viewer, type Viewer } from '@/server/api/server-caller.ts';

export type OrgViewer = Viewer & { user: NonNullable<Viewer['user']>; activeOrg: NonNullable<Viewer['activeOrg']> };

/**
 * For pages inside an organisation: signed-out → sign-in (coming back here), no organisation →
 * onboarding, missing permission → 404 (the page does not reveal that it exists).
 */
export async function requireOrgPage(locale: string, path: string, permission?: Permission): Promise<OrgViewer> {
  const v = await viewer();
  if (!v.user) return redirect({ href: { pathname: '/sign-in', query: { next: path } }, locale });
  if (!v.activeOrg) return redirect({ href: '/onboarding', locale });
  if (permission && !v.permissions.includes(permission)) notFound();
  return v as OrgViewer;
}
