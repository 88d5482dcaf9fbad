import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { organization } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { defaultStatements, memberAc, ownerAc } from 'better-auth/plugins/organization/access';
import { appUrl, authSecret } from '../env.ts';
import { newId } from '../../lib/ids.ts';
import type { Db } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { logger } from '../observability/request-scope.ts';

const ac = createAccessControl(defaultStatements);
const plainMember = ac.newRole(memberAc.statements);

/** Every org role is known to better-auth; only `owner` may administer members and invitations. */
export const authRoles = {
  owner: ac.newRole(ownerAc.statements),
  buyer: plainMember,
  sales: plainMember,
  pharmacist: plainMember,
  physician: plainMember,
  alliance_officer: plainMember,
  operator_admin: plainMember,
};

const MODEL_PREFIX: Record<string, string> = {
  user: 'user',
  session: 'session',
  account: 'account',
  verification: 'verification',
  organization: 'organization',
  member: 'member',
  invitation: 'invitation',
  apikey: 'apikey',
};

export interface AuthMailer {
  sendInvitation(input: { email: string; inviterName: string; orgName: string; role: string; url: string }): Promise<void>;
}

/**
 * A signed-in browser carries its session and user in a signed cookie for this long, so a request
 * needs no user lookup. The session row itself (revoked? which organisation is active?) is still read
 * on every request, with the membership, in one statement (api/context.ts), so the cache never lets a
 * signed-out session in. A renamed user shows the old name until the cookie is refreshed.
 */
export const SESSION_COOKIE_CACHE_SECONDS = 5 * 60;

/** Sign-in attempts one client address may make per minute before it gets 429 for the rest of the window. */
export const SIGN_IN_ATTEMPTS_PER_IP_PER_MINUTE = 60;

export function createAuth(db: Db, options: { mailer?: AuthMailer; baseURL?: string } = {}) {
  return betterAuth({
    appName: 'Bencao 本草',
    logger: {
      // A wrong API key is an ordinary 401 for the caller, not a server error worth an error log line.
      log(level, message, ...args) {
        if (message.startsWith('Failed to validate API key')) return;
        logger()[level === 'error' ? 'error' : 'warn']({ component: 'auth', ...(args.length > 0 ? { details: args } : {}) }, message);
      },
    },
    baseURL: options.baseURL ?? appUrl(),
    secret: authSecret(),
    database: drizzleAdapter(db, { provider: 'pg', schema }),
    session: { cookieCache: { enabled: true, maxAge: SESSION_COOKIE_CACHE_SECONDS } },
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    rateLimit: {
      enabled: true,
      storage: 'memory',
      window: 60,
      max: 300,
      // Keyed by client IP: a hospital's staff sign in from one NAT address at shift change, so the
      // per-IP ceiling is generous; guessing one account's password is a separate (per-account) concern.
      customRules: {
        '/sign-in/email': { window: 60, max: SIGN_IN_ATTEMPTS_PER_IP_PER_MINUTE },
        '/sign-up/email': { window: 60, max: 20 },
      },
    },
    advanced: {
      database: { generateId: ({ model }) => newId(MODEL_PREFIX[model] ?? model.slice(0, 3)) },
    },
    trustedOrigins: (request) => (request ? [new URL(request.url).origin] : []),
    plugins: [
      organization({
        ac,
        roles: authRoles,
        creatorRole: 'owner',
        // An organisation's orders, trades, invoices, prescriptions and audit entries are records that
        // must be kept, so an organisation is never deleted.
        disableOrganizationDeletion: true,
        invitationExpiresIn: 7 * 24 * 3600,
        async sendInvitationEmail(data) {
          await options.mailer?.sendInvitation({
            email: data.email,
            inviterName: data.inviter.user.name,
            orgName: data.organization.name,
            role: data.role,
            url: `${options.baseURL ?? appUrl()}/zh/invitations/${data.id}`,
          });
        },
      }),
      apiKey({
        references: 'organization',
        defaultPrefix: 'bc_',
        enableMetadata: true,
        rateLimit: { enabled: true, timeWindow: 60_000, maxRequests: 600 },
      }),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;
