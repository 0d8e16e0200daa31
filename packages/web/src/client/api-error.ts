import type { ProblemDetails, ProblemFieldError } from './types.js';

/** A problem+json answer (or a network failure, status 0) surfaced as one typed error. */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: ProblemFieldError[];
  /** Seconds from `Retry-After`, for 429 and 503. */
  readonly retryAfter: number | undefined;

  constructor(problem: ProblemDetails, retryAfter?: number) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.retryAfter = retryAfter;
  }

  /** The slug of `type`, e.g. `rate-limited` for `/problems/rate-limited`. */
  get slug(): string {
    return this.type.split('/').pop() ?? this.type;
  }

  /** Network failures and server-side outages are worth retrying; a refusal is not. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }

  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error ? cause.message : 'The server could not be reached.';
    return new ApiError({ type: '/problems/network', title: 'Network error', status: 0, detail });
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}
