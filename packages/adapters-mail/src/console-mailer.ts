import type { Mail, Mailer } from '@message-center/core';
import { renderMail } from './render.js';

/**
 * With no SMTP server configured, each mail is printed to standard output,
 * as Django's console backend does: the one place its link ever appears
 * outside the mail itself, so that a developer can follow it.
 */
export class ConsoleMailer implements Mailer {
  constructor(
    private readonly options: { readonly from: string; readonly publicUrl: string },
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  async send(mail: Mail): Promise<void> {
    const { subject, text } = renderMail(mail, this.options.publicUrl);
    const rule = '-'.repeat(72);
    this.write(`${rule}\nFrom: ${this.options.from}\nTo: ${mail.to}\nSubject: ${subject}\n\n${text}${rule}\n`);
  }
}
