import { z } from 'zod';
import { defineJob } from '../../jobs/define.ts';
import { markImportBroken, runImport } from './import.run.ts';

const MAX_ATTEMPTS = 3;

/** `catalog.import-file`: runs one import job (idempotent, see import.run.ts). */
export const importFileJob = defineJob({
  name: 'catalog.import-file',
  payload: z.object({ importId: z.string().min(1).max(64) }),
  maxAttempts: MAX_ATTEMPTS,
  backoffMs: 2_000,
  async handler({ importId }, { db, attempt }) {
    try {
      await runImport(db, importId);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS) await markImportBroken(db, importId);
      throw error;
    }
  },
});
