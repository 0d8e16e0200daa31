import type { Clock } from '../shared/clock.js';
import type { ErrorOf } from '../shared/errors.js';
import { err, ok, type Result } from '../shared/result.js';
import type { HostUser, ProvisionExternalUser, ProvisionExternalUserError } from '../users/provision-external-user.js';
import type { User } from '../users/user.js';
import type { Principal } from './authenticate.js';
import type { Session } from './session.js';
import type { SessionStarter } from './session-starter.js';
import type { SessionStore } from './session-store.js';

/** Bounds the sessions remembered per process; past it the oldest are started afresh when next seen. */
const MAX_REMEMBERED = 50_000;

/**
 * A caller the host application has authenticated, as a principal like any
 * other. Each user gets one real session per process, started on first sight
 * and reused while the store still holds it, so tickets, logout (which closes
 * the sockets opened under it) and the WebSocket's session checks work
 * unchanged, and a busy host does not write a session row per request.
 */
export class IdentifyHostUser {
  private readonly sessionOf = new Map<string, Session>();

  constructor(
    private readonly provision: ProvisionExternalUser,
    private readonly starter: SessionStarter,
    private readonly sessions: SessionStore,
    private readonly clock: Clock,
  ) {}

  async execute(input: HostUser): Promise<Result<Principal, ProvisionExternalUserError>> {
    const user = await this.provision.execute(input);
    if (!user.ok) return user;
    return ok({ user: user.value, session: await this.sessionFor(user.value) });
  }

  private async sessionFor(user: User): Promise<Session> {
    const remembered = this.sessionOf.get(user.id);
    if (remembered && (await this.sessions.findById(remembered.id, this.clock.now()))) return remembered;
    const { session } = await this.starter.start(user.id);
    this.sessionOf.delete(user.id);
    if (this.sessionOf.size >= MAX_REMEMBERED) this.sessionOf.delete(this.sessionOf.keys().next().value as string);
    this.sessionOf.set(user.id, session);
    return session;
  }
}

/** Fifteen minutes: long enough for a page to load and connect, short enough that a leaked one soon dies. */
export const DEFAULT_HOST_TOKEN_TTL_MS = 15 * 60 * 1000;

export interface HostToken {
  readonly token: string;
  readonly expiresAt: Date;
  readonly user: User;
}

/** A short-lived bearer token for a host's user, which the host hands to the web components on its pages. */
export class IssueHostToken {
  constructor(
    private readonly provision: ProvisionExternalUser,
    private readonly starter: SessionStarter,
  ) {}

  async execute(input: HostUser, options: { ttlMs?: number } = {}): Promise<Result<HostToken, ProvisionExternalUserError>> {
    const ttlMs = options.ttlMs ?? DEFAULT_HOST_TOKEN_TTL_MS;
    if (!(ttlMs > 0)) return err({ kind: 'validation-failed', issues: [{ path: 'ttlMs', message: 'must be positive' }] });
    const user = await this.provision.execute(input);
    if (!user.ok) return user;
    const { token, session } = await this.starter.start(user.value.id, ttlMs);
    return ok({ token, expiresAt: session.expiresAt, user: user.value });
  }
}

/**
 * The answer of a host application's identity for one request, made a
 * principal: `unauthenticated` when the host knows no caller, else what
 * provisioning said.
 */
export type HostIdentified = Result<Principal, ProvisionExternalUserError | ErrorOf<'unauthenticated'>>;
