import type { Notification } from '../notifications/events.js';
import type { LocalDelivery } from '../notifications/notifier.js';
import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import type { Result } from '../shared/result.js';
import type { Principal } from './authenticate.js';

type Authentication = Result<Principal, ErrorOf<'unauthenticated'>>;

/** What is cached: the use case `Authenticate` has exactly this shape. */
export interface Authenticator {
  execute(input: { token: string }): Promise<Authentication>;
  sessionIsLive(sessionId: string): Promise<boolean>;
}

export interface CachedAuthenticateOptions {
  /** How long a token's principal is trusted without asking the store again. */
  readonly ttlMs: number;
  /** Past this many tokens the oldest are forgotten, so memory stays bounded. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly principal: Principal;
  readonly until: number;
}

const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * Remembers each token's user and session for a few seconds, because every
 * request and handshake of a busy client would otherwise ask the store twice.
 * A revocation must still take effect at once: every revocation publishes an
 * `end-sessions` notification, which every process hands to its local
 * delivery, and this cache sits in that path (`delivery(next)`), forgetting
 * those sessions before anything else is told. A lookup that was already
 * reading the store when a revocation arrived does not store its answer.
 *
 * Only sound where every process that can revoke a session publishes to this
 * one, which is why the standalone server uses it only when `REDIS_URL` is set
 * (the command-line `set-password` then reaches running servers too).
 * `sessionIsLive` always asks the store: it exists to catch what a cache would not.
 */
export class CachedAuthenticate implements Authenticator {
  private readonly byToken = new Map<string, Entry>();
  private readonly tokenOfSession = new Map<string, string>();
  private readonly maxEntries: number;
  /** Bumped by every forgetting, so a lookup that overlapped one discards its answer. */
  private generation = 0;

  constructor(
    private readonly inner: Authenticator,
    private readonly clock: Clock,
    private readonly options: CachedAuthenticateOptions,
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  async execute(input: { token: string }): Promise<Authentication> {
    const now = this.clock.now().getTime();
    const entry = this.byToken.get(input.token);
    if (entry) {
      if (entry.until > now && entry.principal.session.expiresAt.getTime() > now) return { ok: true, value: entry.principal };
      this.drop(input.token, entry);
    }
    const generation = this.generation;
    const result = await this.inner.execute(input);
    if (result.ok && generation === this.generation) this.remember(input.token, result.value, now);
    return result;
  }

  sessionIsLive(sessionId: string): Promise<boolean> {
    return this.inner.sessionIsLive(sessionId);
  }

  forgetSessions(sessionIds: readonly string[]): void {
    this.generation++;
    for (const sessionId of sessionIds) {
      const token = this.tokenOfSession.get(sessionId);
      const entry = token === undefined ? undefined : this.byToken.get(token);
      if (token !== undefined && entry) this.drop(token, entry);
    }
  }

  /** For when end-sessions notifications may have been lost (the broker link was down). */
  forgetAll(): void {
    this.generation++;
    this.byToken.clear();
    this.tokenOfSession.clear();
  }

  /** Wraps the process's local delivery so that this cache hears every revocation first. */
  delivery(next: LocalDelivery): LocalDelivery {
    return {
      deliver: (notification: Notification) => {
        if (notification.kind === 'end-sessions') this.forgetSessions(notification.sessionIds);
        next.deliver(notification);
      },
    };
  }

  get size(): number {
    return this.byToken.size;
  }

  private remember(token: string, principal: Principal, now: number): void {
    if (this.byToken.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.byToken.keys().next().value as string;
      this.drop(oldest, this.byToken.get(oldest) as Entry);
    }
    this.byToken.set(token, { principal, until: now + this.options.ttlMs });
    this.tokenOfSession.set(principal.session.id, token);
  }

  private drop(token: string, entry: Entry): void {
    this.byToken.delete(token);
    if (this.tokenOfSession.get(entry.principal.session.id) === token) this.tokenOfSession.delete(entry.principal.session.id);
  }
}
