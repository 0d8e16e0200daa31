import type { Mail, Mailer } from '../mail/mailer.js';

/** Keeps every mail instead of sending it: for tests, and for embedding with no mail server. */
export class InMemoryMailbox implements Mailer {
  readonly sent: Mail[] = [];

  async send(mail: Mail): Promise<void> {
    this.sent.push(mail);
  }
}
