/**
 * The `type` slugs of API.md's problem documents and their titles, shared by
 * every edge (REST and the WebSocket handshake) so a client sees one shape.
 * Which HTTP status each gets is the edge's business.
 */
export const PROBLEM_TITLES = {
  'validation-failed': 'The request is not valid',
  'malformed-json': 'The request body is not valid JSON',
  'payload-too-large': 'The request body is too large',
  unauthenticated: 'Authentication is required',
  forbidden: 'This action is not allowed',
  'not-found': 'Not found',
  'method-not-allowed': 'The method is not allowed on this resource',
  'username-taken': 'The username is taken',
  'email-taken': 'The email address is taken',
  'client-id-reused': 'The clientId was used for another message',
  'rate-limited': 'Too many attempts',
  unavailable: 'The service is unavailable',
  internal: 'Internal error',
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TITLES;
