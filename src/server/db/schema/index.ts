export * from './auth.ts';
export * from './orgs.ts';
export * from './audit.ts';
export * from './jobs.ts';
export * from './catalog.ts';
