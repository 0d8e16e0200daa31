import type { Clock } from '../shared/clock.js';
import type { Message } from './message.js';

/** Enough for every send of the last fraction of a second at a few thousand a second. */
const CAPACITY = 512;
/** As long as this process trusts a session without asking the store (the server README's 5 s). */
const TTL_MS = 5_000;

/**
 * The messages this process stored in the last few seconds. Every send is
 * followed at once by each recipient's GET of it (the push carries only the
 * id): answered from here, that GET costs no trip to the store, which under
 * load is half of a delivered message's round trips. A message never changes
 * once stored; only a participant's name may, by a host-identity rename, and
 * that shows here for at most `TTL_MS`, as in the push that announced it.
 * Another process, or this one later, reads the store.
 */
export class RecentMessages {
  private readonly byId = new Map<string, { readonly message: Message; readonly storedAt: number }>();

  constructor(private readonly clock: Clock) {}

  remember(message: Message): void {
    this.byId.delete(message.id);
    this.byId.set(message.id, { message, storedAt: this.clock.now().getTime() });
    // Oldest first: a Map iterates in insertion order.
    if (this.byId.size > CAPACITY) this.byId.delete(this.byId.keys().next().value as string);
  }

  recall(id: string): Message | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    if (this.clock.now().getTime() - entry.storedAt > TTL_MS) {
      this.byId.delete(id);
      return undefined;
    }
    return entry.message;
  }
}

export const RECENT_MESSAGES = { capacity: CAPACITY, ttlMs: TTL_MS } as const;
