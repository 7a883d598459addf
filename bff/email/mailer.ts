/**
 * Label email through nodemailer: SMTP when SMTP_URL is set, otherwise an .eml file per message
 * in DATA_DIR/outbox (what the demo and the tests read).
 */
import { mkdir, readdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Label } from '../../shared/tools.ts';

export interface Mailer {
  sendLabel(to: string, label: Label, pdf: Uint8Array): Promise<{ messageId: string; file?: string }>;
  /** Deletes outbox files written more than maxAgeMs ago (none without an outbox); returns how many. */
  sweep?(maxAgeMs: number): Promise<number>;
}

export function maskEmail(to: string): string {
  const [user = '', domain = ''] = to.split('@');
  return `${user.slice(0, 1)}${'*'.repeat(Math.max(2, Math.min(user.length - 1, 6)))}@${domain}`;
}

export function createMailer(o: { smtpUrl?: string; from: string; outboxDir: string; now?: () => number }): Mailer {
  const now = o.now ?? Date.now;
  const smtp: Transporter | undefined = o.smtpUrl ? nodemailer.createTransport(o.smtpUrl) : undefined;
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  let counter = 0;
  return {
    async sendLabel(to, label, pdf) {
      const message = {
        from: o.from,
        to,
        subject: `Your ${label.carrier} shipping label — tracking ${label.tracking_number}`,
        text: [
          `Your ${label.carrier} ${label.service} label is attached (4x6 PDF).`,
          `Tracking number: ${label.tracking_number}`,
          `Track it: ${label.tracking_url}`,
          '',
          'SAMPLE – NOT VALID FOR POSTAGE',
        ].join('\n'),
        attachments: [{ filename: `label-${label.tracking_number}.pdf`, content: Buffer.from(pdf), contentType: 'application/pdf' }],
      };
      if (smtp) {
        const info = await smtp.sendMail(message);
        return { messageId: String(info.messageId) };
      }
      const info = await stream.sendMail(message);
      await mkdir(o.outboxDir, { recursive: true });
      // Named by when it was written (the mailer's clock): the sweep reads the age from the name.
      const file = join(o.outboxDir, `${now()}-${++counter}-${label.label_id}.eml`);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      return { messageId: String(info.messageId), file };
    },
    async sweep(maxAgeMs) {
      const names = await readdir(o.outboxDir).catch(() => [] as string[]);
      const cutoff = now() - maxAgeMs;
      let removed = 0;
      for (const name of names) {
        const written = /^(\d+)-\d+-.*\.eml$/.exec(name)?.[1];
        if (written === undefined || Number(written) > cutoff) continue;
        await unlink(join(o.outboxDir, name)).catch(() => undefined);
        removed++;
      }
      return removed;
    },
  };
}
