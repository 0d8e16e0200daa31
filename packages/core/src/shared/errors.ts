/** One field-level problem, reported to clients as `{path, message}`. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Every expected failure of every use case. Each use case narrows it to the
 * kinds it can return, so the edge maps the whole union in one exhaustive switch.
 */
export type DomainError =
  | { readonly kind: 'validation-failed'; readonly issues: readonly Issue[] }
  | { readonly kind: 'username-taken' }
  | { readonly kind: 'registration-closed' }
  | { readonly kind: 'invalid-credentials' }
  | { readonly kind: 'login-throttled'; readonly retryAfterSeconds: number }
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  | { readonly kind: 'overloaded'; readonly retryAfterSeconds: number }
  | { readonly kind: 'unauthenticated' }
  | { readonly kind: 'wrong-current-password' }
  | { readonly kind: 'user-not-found' }
  | { readonly kind: 'message-not-found' }
  | { readonly kind: 'client-id-reused' };

export type ErrorOf<K extends DomainError['kind']> = Extract<DomainError, { kind: K }>;

export const invalid = (path: string, message: string): ErrorOf<'validation-failed'> => ({
  kind: 'validation-failed',
  issues: [{ path, message }],
});

/**
 * The one thrown failure adapters may raise: the store or the broker cannot be
 * reached. The edge answers 503; nothing else about the cause leaks out.
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(message = 'the store is unavailable', options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Thrown when the server refuses new work rather than queue it past a bound
 * (password hashing). The edge answers 503 with `Retry-After`; unlike
 * `StoreUnavailable` nothing is broken, so it is not logged as an error.
 */
export class Overloaded extends Error {
  override readonly name = 'Overloaded';
  constructor(
    readonly retryAfterSeconds: number,
    message = 'the server is at capacity',
  ) {
    super(message);
  }
}
