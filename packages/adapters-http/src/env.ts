import type { Principal } from '@message-center/core';
import type { RequestIdVariables } from 'hono/request-id';

/** What middleware leaves on the context for the handlers after it. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** Set by `requireSession`; only routes that use it may read it. */
    principal: Principal;
  };
}

/** Structured log lines; the default writes one JSON object per line. */
export interface HttpLogger {
  info(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

/**
 * Lines gathered during one turn of the event loop and written together after
 * it: a write to a pipe blocks the loop on Linux, and under load one write for
 * many requests costs far less than one each. Whatever is pending when the
 * process exits is written then.
 */
function batched(stream: NodeJS.WriteStream): (line: string) => void {
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    stream.write(text);
  };
  process.on('exit', flush);
  return (line) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(line);
  };
}

const writeOut = batched(process.stdout);

export const jsonLinesLogger: HttpLogger = {
  info: (entry) => writeOut(`${JSON.stringify({ level: 'info', ...entry })}\n`),
  // Errors are rare and may come just before a crash: written at once.
  error: (entry) => process.stderr.write(`${JSON.stringify({ level: 'error', ...entry })}\n`),
};
