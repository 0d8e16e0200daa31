import { ApiError } from './api-error.js';
import type { ConversationSummary, Message, OwnAccount, Page, ProblemDetails, Session, User } from './types.js';

export type AuthMode = 'cookie' | 'bearer';

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the server; empty or omitted means this page's origin. */
  baseUrl?: string;
  /** `cookie` (default) relies on the `mc_session` cookie; `bearer` sends the token from login. */
  auth?: AuthMode;
  /** A token to start with in bearer mode (e.g. one kept by the host page). */
  token?: string;
  fetch?: typeof fetch;
}

export interface HistoryQuery {
  limit?: number;
  before?: string;
}

export interface ListQuery {
  q?: string;
  limit?: number;
  cursor?: string;
}

const API = '/api/v1';
/**
 * A read refused with 503 and `Retry-After` (a server shedding load, or waiting
 * for its database) is asked again this many times, as the header says, before
 * the caller sees the error; a write is never repeated here (sends have the outbox).
 */
const READ_RETRIES_WHEN_UNAVAILABLE = 2;
/** A longer wait is the caller's to decide (it shows the error meanwhile). */
const MAX_RETRY_AFTER_SECONDS = 5;

/** Typed calls for every route of API.md; failures are thrown as `ApiError`. */
export class ApiClient {
  readonly baseUrl: string;
  readonly auth: AuthMode;
  #token: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.auth = options.auth ?? 'cookie';
    this.#token = options.token;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get token(): string | undefined {
    return this.#token;
  }

  /** The absolute URL of an API path, resolved against the page when the base URL is relative. */
  url(path: string): URL {
    const base = this.baseUrl === '' ? globalThis.location.origin : this.baseUrl;
    return new URL(`${base}${API}${path}`, globalThis.location?.href);
  }

  /** True when the server shares this page's origin, so the session cookie reaches its WebSocket. */
  get isSameOrigin(): boolean {
    return this.url('/').origin === globalThis.location?.origin;
  }

  /** `email` (optional) is where password-reset links go. */
  async register(username: string, password: string, email?: string): Promise<Session> {
    const session = await this.#request<Session>('POST', '/auth/register', email ? { username, password, email } : { username, password });
    this.#token = session.token;
    return session;
  }

  async login(username: string, password: string): Promise<Session> {
    const session = await this.#request<Session>('POST', '/auth/login', { username, password });
    this.#token = session.token;
    return session;
  }

  async logout(): Promise<void> {
    try {
      await this.#request<void>('POST', '/auth/logout');
    } finally {
      this.#token = undefined;
    }
  }

  async me(): Promise<User> {
    const { user } = await this.#request<{ user: User }>('GET', '/auth/me');
    return user;
  }

  /** The caller and the account's own email address (`null` when it has none). */
  account(): Promise<OwnAccount> {
    return this.#request<OwnAccount>('GET', '/auth/me');
  }

  /** `null` removes the address. */
  changeEmail(email: string | null, currentPassword: string): Promise<void> {
    return this.#request<void>('PUT', '/auth/email', { email, currentPassword });
  }

  /** Mails a reset link when the address has an account; answers the same either way. */
  requestPasswordReset(email: string): Promise<void> {
    return this.#request<void>('POST', '/auth/password-reset', { email });
  }

  /** Sets a new password with the token of a reset link; every session of the user ends. */
  confirmPasswordReset(token: string, newPassword: string): Promise<void> {
    return this.#request<void>('POST', '/auth/password-reset/confirm', { token, newPassword });
  }

  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.#request<void>('POST', '/auth/password', { currentPassword, newPassword });
  }

  async wsTicket(): Promise<string> {
    const { ticket } = await this.#request<{ ticket: string }>('POST', '/auth/ws-ticket');
    return ticket;
  }

  users(query: ListQuery = {}): Promise<Page<User>> {
    return this.#request('GET', `/users${search({ q: query.q, limit: query.limit, cursor: query.cursor })}`);
  }

  send(recipient: string, body: string, clientId?: string): Promise<Message> {
    return this.#request('POST', '/messages', clientId === undefined ? { recipient, body } : { recipient, body, clientId });
  }

  message(id: string): Promise<Message> {
    return this.#request('GET', `/messages/${encodeURIComponent(id)}`);
  }

  /** One conversation, newest first; `nextCursor` pages to older messages. */
  history(peer: string, query: HistoryQuery = {}): Promise<Page<Message>> {
    return this.#request('GET', `/messages${search({ with: peer, limit: query.limit, before: query.before })}`);
  }

  /** Every message of the caller with an id above `after`, oldest first. */
  catchUp(after: string, limit?: number): Promise<Page<Message>> {
    return this.#request('GET', `/messages${search({ after, limit })}`);
  }

  conversations(query: { limit?: number; cursor?: string } = {}): Promise<Page<ConversationSummary>> {
    return this.#request('GET', `/conversations${search(query)}`);
  }

  markRead(peer: string, lastReadId: string): Promise<void> {
    return this.#request('POST', `/conversations/${encodeURIComponent(peer)}/read`, { lastReadId });
  }

  async #request<T>(method: string, path: string, body?: unknown): Promise<T> {
    for (let retries = method === 'GET' ? READ_RETRIES_WHEN_UNAVAILABLE : 0; ; retries--) {
      try {
        return await this.#requestOnce<T>(method, path, body);
      } catch (error) {
        const wait = error instanceof ApiError && error.status === 503 ? error.retryAfter : undefined;
        if (retries === 0 || wait === undefined || wait > MAX_RETRY_AFTER_SECONDS) throw error;
        await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      }
    }
  }

  async #requestOnce<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.auth === 'bearer' && this.#token) headers.authorization = `Bearer ${this.#token}`;
    let response: Response;
    try {
      response = await this.#fetch(this.url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: this.auth === 'cookie' ? 'include' : 'omit',
      });
    } catch (cause) {
      throw ApiError.network(cause);
    }
    if (response.ok) {
      if (response.status === 204 || response.status === 202) return undefined as T;
      return (await response.json()) as T;
    }
    throw await toApiError(response);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterHeader = response.headers.get('retry-after');
  const retryAfter = retryAfterHeader !== null && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
  let problem: Partial<ProblemDetails> = {};
  try {
    problem = (await response.json()) as Partial<ProblemDetails>;
  } catch {
    // A proxy's HTML error page is not problem+json; the status alone still says enough.
  }
  return new ApiError(
    {
      type: typeof problem.type === 'string' ? problem.type : 'about:blank',
      title: typeof problem.title === 'string' ? problem.title : response.statusText || `HTTP ${response.status}`,
      status: response.status,
      detail: typeof problem.detail === 'string' ? problem.detail : undefined,
      errors: Array.isArray(problem.errors) ? problem.errors : [],
    },
    retryAfter,
  );
}

function search(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}
