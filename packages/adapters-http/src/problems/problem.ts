import { type DomainError, type Issue, PROBLEM_TITLES, type ProblemSlug } from '@message-center/core';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An RFC 9457 problem document, as clients receive it. */
export interface Problem {
  readonly type: `/problems/${ProblemSlug}`;
  readonly title: string;
  readonly status: ContentfulStatusCode;
  readonly detail: string;
  readonly errors?: readonly Issue[];
}

export type { ProblemSlug };

/** A problem plus the headers that must travel with it (`Retry-After`). */
export interface ProblemAnswer {
  readonly problem: Problem;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The status of each slug; the titles are the core's, shared with the WebSocket handshake. */
const STATUSES: Record<ProblemSlug, ContentfulStatusCode> = {
  'validation-failed': 422,
  'malformed-json': 400,
  'payload-too-large': 413,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'username-taken': 409,
  'email-taken': 409,
  'client-id-reused': 409,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

export function problemOf(slug: ProblemSlug, detail: string, errors?: readonly Issue[]): Problem {
  return { type: `/problems/${slug}`, title: PROBLEM_TITLES[slug], status: STATUSES[slug], detail, ...(errors ? { errors } : {}) };
}

/** The one place where the core's expected failures become HTTP answers. */
export function problemFor(error: DomainError): ProblemAnswer {
  switch (error.kind) {
    case 'validation-failed':
      return { problem: problemOf('validation-failed', 'Some fields are not valid.', error.issues) };
    case 'username-taken':
      return { problem: problemOf('username-taken', 'Another user has this username (letter case does not matter).') };
    case 'email-taken':
      return { problem: problemOf('email-taken', 'Another account has this email address (letter case does not matter).') };
    case 'registration-closed':
      return { problem: problemOf('forbidden', 'Registration is closed on this server.') };
    case 'invalid-credentials':
      return { problem: problemOf('unauthenticated', 'The username or the password is wrong.') };
    case 'login-throttled':
      return {
        problem: problemOf('rate-limited', `Too many failed logins; try again in ${error.retryAfterSeconds} seconds.`),
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      };
    case 'rate-limited':
      return {
        problem: problemOf('rate-limited', `Too many requests; try again in ${error.retryAfterSeconds} seconds.`),
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      };
    case 'overloaded':
      return {
        problem: problemOf('unavailable', `The server is at capacity; try again in ${error.retryAfterSeconds} seconds.`),
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      };
    case 'unauthenticated':
      return { problem: problemOf('unauthenticated', 'No valid session: log in again.') };
    case 'wrong-current-password':
      return {
        problem: problemOf('validation-failed', 'The current password is wrong.', [
          { path: 'currentPassword', message: 'is not the current password' },
        ]),
      };
    case 'user-not-found':
      return { problem: problemOf('not-found', 'No such user.') };
    case 'message-not-found':
      return { problem: problemOf('not-found', 'No such message.') };
    case 'client-id-reused':
      return { problem: problemOf('client-id-reused', 'This clientId already names a message with another recipient or body.') };
    default:
      return error satisfies never;
  }
}

/**
 * Thrown by handlers and middleware to answer with a problem; `app.onError`
 * renders it. Handlers throw rather than return so that every route's typed
 * responses stay the success shapes only.
 */
export class ProblemException extends HTTPException {
  constructor(readonly answer: ProblemAnswer) {
    super(answer.problem.status, { message: answer.problem.detail });
  }
}

export function fail(error: DomainError): never {
  throw new ProblemException(problemFor(error));
}

export function failWith(slug: ProblemSlug, detail: string, errors?: readonly Issue[]): never {
  throw new ProblemException({ problem: problemOf(slug, detail, errors) });
}

export function problemResponse(answer: ProblemAnswer): Response {
  return new Response(JSON.stringify(answer.problem), {
    status: answer.problem.status,
    headers: { 'Content-Type': 'application/problem+json', ...answer.headers },
  });
}
