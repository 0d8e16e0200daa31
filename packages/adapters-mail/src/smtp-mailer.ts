import type { Mail, Mailer } from '@message-center/core';
import type { Transporter } from 'nodemailer';
import { renderMail } from './render.js';

export interface SmtpMailerOptions {
  /** `smtp://user:pass@host:587` (upgraded with STARTTLS when the server offers it) or `smtps://user:pass@host:465` (TLS from the start). */
  readonly url: string;
  /** `Message Center <no-reply@example.com>`. */
  readonly from: string;
  /** Where links in mails point: the address people open. */
  readonly publicUrl: string;
  /** Gives up on an unresponsive server after this long, so a queued mail never hangs forever. */
  readonly timeoutMs?: number;
}

/** A mail the SMTP server did not take. Its message never carries the mail's content. */
export class MailDeliveryFailed extends Error {
  override readonly name = 'MailDeliveryFailed';
}

/** Hands mails to an SMTP server (nodemailer). Counts what it sent and what failed, for operators. */
export class SmtpMailer implements Mailer {
  private transport: Promise<Transporter> | undefined;
  private readonly counts = { sent: 0, failed: 0 };

  constructor(private readonly options: SmtpMailerOptions) {}

  async send(mail: Mail): Promise<void> {
    const { subject, text, html } = renderMail(mail, this.options.publicUrl);
    try {
      await (await this.connect()).sendMail({ from: this.options.from, to: mail.to, subject, text, html });
      this.counts.sent++;
    } catch (error) {
      this.counts.failed++;
      throw new MailDeliveryFailed(`${mail.kind} mail not accepted: ${describe(error, mail.token)}`);
    }
  }

  get stats(): { readonly sent: number; readonly failed: number } {
    return { ...this.counts };
  }

  close(): void {
    void this.transport?.then((transport) => transport.close());
  }

  /** nodemailer is loaded on the first mail: the CLI's short-lived commands never send one and start faster. */
  private connect(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ createTransport }) => {
      const timeout = this.options.timeoutMs ?? 30_000;
      // nodemailer reads smtp:// vs smtps:// from the URL; its own logger stays off, as it would print the messages.
      return createTransport({
        url: this.options.url,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout,
        logger: false,
        debug: false,
      });
    });
    return this.transport;
  }
}

/** The error's code and the server's reply, with the secret cut out should a server ever echo it back. */
function describe(error: unknown, secret: string): string {
  const e = error as { code?: unknown; responseCode?: unknown; message?: unknown };
  const parts = [e.code, e.responseCode, e.message].filter((p) => p !== undefined).map(String);
  return parts.join(' ').split(secret).join('[token]').slice(0, 300);
}
