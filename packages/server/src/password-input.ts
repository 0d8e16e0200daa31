import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface PasswordSource {
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * A password from a prompt that does not echo (asked twice), or from
 * standard input when it is not a terminal (`printf '%s\n' "$PW" | …`).
 * Never from argv: argv is visible to every user of the machine.
 */
export async function readPassword(source: PasswordSource): Promise<string> {
  if (!source.stdin.isTTY) return stripOneNewline(await readAll(source.stdin));
  const first = await prompt(source, 'Password: ');
  const second = await prompt(source, 'Repeat password: ');
  if (first !== second) throw new PasswordMismatch();
  return first;
}

/** One line that is no secret (an email address): from a prompt that echoes, or from standard input. */
export async function readLine(source: PasswordSource, question: string): Promise<string> {
  if (!source.stdin.isTTY) return stripOneNewline(await readAll(source.stdin));
  source.stderr.write(question);
  const rl = createInterface({ input: source.stdin, output: source.stderr, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

export class PasswordMismatch extends Error {
  override readonly name = 'PasswordMismatch';
  constructor() {
    super('the two passwords differ');
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function stripOneNewline(text: string): string {
  return text.replace(/\r?\n$/, '');
}

function prompt(source: PasswordSource, question: string): Promise<string> {
  source.stderr.write(question);
  // Typed characters go nowhere; the question was written directly above.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: source.stdin, output: silent, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      source.stderr.write('\n');
      resolve(answer);
    });
  });
}
