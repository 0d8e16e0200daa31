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

export const jsonLinesLogger: HttpLogger = {
  info: (entry) => process.stdout.write(`${JSON.stringify({ level: 'info', ...entry })}\n`),
  error: (entry) => process.stderr.write(`${JSON.stringify({ level: 'error', ...entry })}\n`),
};
