import { Emitter } from './emitter.js';
import type { RealtimeConnection } from './realtime.js';
import type { PresenceEntry } from './types.js';

export interface PresenceEvents {
  /** A watched user's status changed (or arrived for the first time). */
  change: PresenceEntry;
}

/** The server answers at most this many names per `presence.watch` (API.md). */
const MAX_WATCHED = 200;

const keyOf = (username: string) => username.toLowerCase();

/**
 * Who is online among the users on screen. Each element that shows a user
 * calls `watch` while it is on the page; the union of those names is sent as
 * one `presence.watch` frame (which replaces the previous list on the server),
 * once per change of the union, and again after every reconnect.
 */
export class PresenceWatch extends Emitter<PresenceEvents> {
  readonly #realtime: RealtimeConnection;
  /** How many elements watch each name, by lower-case name. */
  readonly #counts = new Map<string, { username: string; count: number }>();
  readonly #known = new Map<string, PresenceEntry>();
  #sent = '';
  #scheduled = false;

  constructor(realtime: RealtimeConnection) {
    super();
    this.#realtime = realtime;
    realtime.on('presence', (users) => {
      for (const entry of users) {
        this.#known.set(keyOf(entry.username), entry);
        this.emit('change', entry);
      }
    });
    // A new connection starts with no list on the server.
    realtime.on('ready', () => {
      this.#sent = '';
      this.#flush();
    });
  }

  /** Watches these users until the returned function is called. */
  watch(usernames: readonly string[]): () => void {
    for (const username of usernames) {
      const key = keyOf(username);
      const held = this.#counts.get(key);
      if (held) held.count += 1;
      else this.#counts.set(key, { username, count: 1 });
    }
    this.#schedule();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const username of usernames) {
        const key = keyOf(username);
        const held = this.#counts.get(key);
        if (!held) continue;
        held.count -= 1;
        if (held.count === 0) this.#counts.delete(key);
      }
      this.#schedule();
    };
  }

  /** What the server last said about the user; `undefined` before it answered. */
  get(username: string): PresenceEntry | undefined {
    return this.#known.get(keyOf(username));
  }

  /** The names sent to the server, at most 200: the first watched win. */
  get watched(): string[] {
    return [...this.#counts.values()].slice(0, MAX_WATCHED).map((held) => held.username);
  }

  /** Elements come and go in bursts as a list renders: one frame per burst. */
  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    const users = this.watched;
    const signature = users.map(keyOf).sort().join(' ');
    if (signature === this.#sent) return;
    if (this.#realtime.send({ type: 'presence.watch', users })) this.#sent = signature;
  }
}
