import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** A stable Message-ID (`<id@host>`): sent twice (a retry), it is one message to mail clients that collapse duplicates. */
  messageId?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  /** Where mail goes, for the start-up log: never the relay's credentials. */
  readonly destination: string;
  close(): void;
}

/**
 * Outgoing mail through nodemailer: to the SMTP relay in SMTP_RELAY_URL, or, when none is set
 * (development, demos), into `CARNET_DATA_DIR/outbox/` as .eml files readable by their owner only.
 * Mail Carnet sends carries no health data (DESIGN.md §2.5): codes and links only.
 */
export function createMailer(config: Pick<Config, 'smtpRelayUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtpRelayUrl !== undefined) {
    const transport = nodemailer.createTransport(config.smtpRelayUrl);
    const relay = new URL(config.smtpRelayUrl);
    return {
      destination: `${relay.protocol}//${relay.host}`,
      async send(mail) {
        await transport.sendMail({ from: config.mailFrom, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const outbox = path.join(config.dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    destination: outbox,
    async send(mail) {
      const info = await transport.sendMail({ from: config.mailFrom, ...mail });
      mkdirSync(outbox, { recursive: true, mode: 0o700 });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      writeFileSync(path.join(outbox, name), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}
