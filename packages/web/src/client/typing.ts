import { Emitter } from './emitter.js';
import type { RealtimeConnection } from './realtime.js';

export interface TypingEvents {
  /** The user started or stopped typing to this one. */
  change: { username: string; typing: boolean };
}

export interface TypingOptions {
  /** How long "typing…" lasts after the last `typing` frame (API.md: 6 s). */
  showForMs?: number;
  /** Least time between two `typing` frames to one person (API.md: 3 s). */
  sendEveryMs?: number;
}

const keyOf = (username: string) => username.toLowerCase();

/**
 * "alice is typing…": who is typing to this user, until 6 s pass without a
 * new `typing` frame or a message from them arrives; and `notify`, which tells
 * someone this user is typing, at most every 3 s.
 */
export class TypingWatch extends Emitter<TypingEvents> {
  readonly #realtime: RealtimeConnection;
  readonly #showForMs: number;
  readonly #sendEveryMs: number;
  readonly #typing = new Map<string, { username: string; timer: ReturnType<typeof setTimeout> }>();
  readonly #lastSent = new Map<string, number>();

  constructor(realtime: RealtimeConnection, options: TypingOptions = {}) {
    super();
    this.#realtime = realtime;
    this.#showForMs = options.showForMs ?? 6_000;
    this.#sendEveryMs = options.sendEveryMs ?? 3_000;
    realtime.on('typing', ({ from }) => this.#started(from));
    realtime.on('message', (message) => this.#stopped(message.sender));
  }

  isTyping(username: string): boolean {
    return this.#typing.has(keyOf(username));
  }

  /** Says "I am typing" to `to`, unless it was said less than 3 s ago. */
  notify(to: string): void {
    const key = keyOf(to);
    const now = Date.now();
    if (now - (this.#lastSent.get(key) ?? -Infinity) < this.#sendEveryMs) return;
    if (this.#realtime.send({ type: 'typing', to })) this.#lastSent.set(key, now);
  }

  /** After a send the next keystroke is news again. */
  sent(to: string): void {
    this.#lastSent.delete(keyOf(to));
  }

  #started(username: string): void {
    const key = keyOf(username);
    const held = this.#typing.get(key);
    if (held) clearTimeout(held.timer);
    const timer = setTimeout(() => this.#stopped(username), this.#showForMs);
    this.#typing.set(key, { username, timer });
    if (!held) this.emit('change', { username, typing: true });
  }

  #stopped(username: string): void {
    const key = keyOf(username);
    const held = this.#typing.get(key);
    if (!held) return;
    clearTimeout(held.timer);
    this.#typing.delete(key);
    this.emit('change', { username: held.username, typing: false });
  }
}
