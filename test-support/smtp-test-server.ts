import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One mail as the SMTP server received it: the envelope, and the parsed message. */
export interface ReceivedMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  /** Whether the connection was encrypted (STARTTLS or TLS from the start) when the mail was sent. */
  readonly encrypted: boolean;
  readonly message: ParsedMail;
}

export interface SmtpTestServerOptions {
  /** TLS from the first byte (`smtps://`); otherwise plain, offering STARTTLS unless `starttls: false`. */
  readonly secure?: boolean;
  readonly starttls?: boolean;
  /** Required credentials; any login is refused unless it matches. */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Answer every mail with this SMTP reply code (e.g. 550) instead of taking it. */
  readonly refuseWith?: number;
  /** Wait this long before accepting each mail, like a slow relay. */
  readonly holdMs?: number;
}

/**
 * A real SMTP server (the `smtp-server` package) on a spare loopback port,
 * keeping what it receives, so tests read the mails a real client delivered.
 * Its TLS certificate is smtp-server's self-signed one for localhost: clients
 * must be told not to verify it (`?tls.rejectUnauthorized=false`).
 */
export class SmtpTestServer {
  readonly received: ReceivedMail[] = [];
  private readonly waiters: (() => void)[] = [];
  private taken = 0;

  private constructor(
    private readonly server: SMTPServer,
    readonly url: string,
  ) {}

  static async start(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
    let self: SmtpTestServer | undefined;
    const server = new SMTPServer({
      secure: options.secure ?? false,
      disabledCommands: [...(options.auth ? [] : ['AUTH']), ...(options.starttls === false ? ['STARTTLS'] : [])],
      authOptional: !options.auth,
      // Plain-text AUTH is refused on unencrypted connections unless allowed; tests of plain smtp:// log in too.
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        const { user, pass } = options.auth ?? { user: '', pass: '' };
        if (auth.username === user && auth.password === pass) callback(null, { user });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        if (options.refuseWith !== undefined) {
          stream.resume();
          stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: options.refuseWith })));
          return;
        }
        simpleParser(stream).then(
          async (message) => {
            if (options.holdMs) await new Promise((resolve) => setTimeout(resolve, options.holdMs));
            self?.keep({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              encrypted: session.secure,
              message,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    const scheme = options.secure ? 'smtps' : 'smtp';
    const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : '';
    self = new SmtpTestServer(server, `${scheme}://${credentials}127.0.0.1:${port}/?tls.rejectUnauthorized=false`);
    return self;
  }

  /** The next mail not yet taken by an earlier call, waiting for it up to `timeoutMs`. */
  async nextMail(timeoutMs = 10_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    while (this.taken >= this.received.length) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no mail arrived within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.received[this.taken++] as ReceivedMail;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private keep(mail: ReceivedMail): void {
    this.received.push(mail);
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** The reset token from a mail's link (`…/#reset=<token>`), read from the plain-text body as a person would. */
export function resetTokenIn(mail: ReceivedMail): string {
  const match = /#reset=([A-Za-z0-9_-]+)/.exec(mail.message.text ?? '');
  if (!match?.[1]) throw new Error('the mail holds no reset link');
  return match[1];
}
