import type { DomainError, Issue } from '@message-center/core';
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

export type ProblemSlug =
  | 'validation-failed'
  | 'malformed-json'
  | 'payload-too-large'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'method-not-allowed'
  | 'username-taken'
  | 'email-taken'
  | 'client-id-reused'
  | 'rate-limited'
  | 'unavailable'
  | 'internal';

/** A problem plus the headers that must travel with it (`Retry-After`). */
export interface ProblemAnswer {
  readonly problem: Problem;
  readonly headers?: Readonly<Record<string, string>>;
}

const TITLES: Record<ProblemSlug, [ContentfulStatusCode, string]> = {
  'validation-failed': [422, 'The request is not valid'],
  'malformed-json': [400, 'The request body is not valid JSON'],
  'payload-too-large': [413, 'The request body is too large'],
  unauthenticated: [401, 'Authentication is required'],
  forbidden: [403, 'This action is not allowed'],
  'not-found': [404, 'Not found'],
  'method-not-allowed': [405, 'The method is not allowed on this resource'],
  'username-taken': [409, 'The username is taken'],
  'email-taken': [409, 'The email address is taken'],
  'client-id-reused': [409, 'The clientId was used for another message'],
  'rate-limited': [429, 'Too many attempts'],
  unavailable: [503, 'The service is unavailable'],
  internal: [500, 'Internal error'],
};

export function problemOf(slug: ProblemSlug, detail: string, errors?: readonly Issue[]): Problem {
  const [status, title] = TITLES[slug];
  return { type: `/problems/${slug}`, title, status, detail, ...(errors ? { errors } : {}) };
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
