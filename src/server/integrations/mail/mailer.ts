import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The mail port. The embedded adapter writes each message as a JSON file into a local mailbox. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Idempotency: the same id written twice is one message. */
  id: string;
}

export interface Mailer {
  readonly kind: string;
  send(message: MailMessage): Promise<void>;
}

/** Writes `<dir>/<id>.json`; a redelivered job overwrites the same file (at-least-once safe). */
export function createMailboxMailer(dir: string): Mailer {
  return {
    kind: 'mailbox',
    async send(message) {
      await mkdir(dir, { recursive: true });
      const safeId = message.id.replace(/[^a-zA-Z0-9_-]/g, '_');
      await writeFile(path.join(dir, `${safeId}.json`), `${JSON.stringify({ ...message, at: new Date().toISOString() }, null, 2)}\n`);
    },
  };
}
