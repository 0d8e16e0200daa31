import type { ApiClient } from './api-client.js';
import { ApiError } from './api-error.js';
import { backoffDelay } from './backoff.js';
import { Emitter } from './emitter.js';
import type { Message } from './types.js';

export type OutboxStatus = 'pending' | 'failed';

export interface OutboxEntry {
  clientId: string;
  recipient: string;
  body: string;
  status: OutboxStatus;
  createdAt: string;
  error?: ApiError;
}

export interface OutboxEvents {
  change: readonly OutboxEntry[];
  sent: { clientId: string; message: Message };
}

export interface OutboxOptions {
  /** Automatic attempts for a transient failure before the entry is marked failed. */
  attempts?: number;
  retryBaseMs?: number;
}

/**
 * Optimistic sending. Each message gets a `clientId` once, and every retry reuses it,
 * so the server's idempotency turns a retry after a lost answer into the same message,
 * never a duplicate.
 */
export class Outbox extends Emitter<OutboxEvents> {
  readonly #api: ApiClient;
  readonly #attempts: number;
  readonly #retryBaseMs: number;
  #entries: OutboxEntry[] = [];

  constructor(api: ApiClient, options: OutboxOptions = {}) {
    super();
    this.#api = api;
    this.#attempts = options.attempts ?? 3;
    this.#retryBaseMs = options.retryBaseMs ?? 800;
  }

  get entries(): readonly OutboxEntry[] {
    return this.#entries;
  }

  /** Queues a message and starts sending it; returns its `clientId`. */
  send(recipient: string, body: string): string {
    const entry: OutboxEntry = { clientId: newClientId(), recipient, body, status: 'pending', createdAt: new Date().toISOString() };
    this.#entries = [...this.#entries, entry];
    this.emit('change', this.#entries);
    void this.#deliver(entry.clientId);
    return entry.clientId;
  }

  retry(clientId: string): void {
    const entry = this.#entries.find((candidate) => candidate.clientId === clientId);
    if (entry?.status !== 'failed') return;
    this.#update(clientId, { status: 'pending', error: undefined });
    void this.#deliver(clientId);
  }

  /** Retries everything that failed for a transient reason, e.g. when the network is back. */
  retryTransient(): void {
    for (const entry of this.#entries) if (entry.status === 'failed' && entry.error?.isTransient) this.retry(entry.clientId);
  }

  discard(clientId: string): void {
    this.#entries = this.#entries.filter((entry) => entry.clientId !== clientId);
    this.emit('change', this.#entries);
  }

  async #deliver(clientId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const entry = this.#entries.find((candidate) => candidate.clientId === clientId);
      if (!entry) return;
      try {
        const message = await this.#api.send(entry.recipient, entry.body, entry.clientId);
        this.#entries = this.#entries.filter((candidate) => candidate.clientId !== clientId);
        this.emit('sent', { clientId, message });
        this.emit('change', this.#entries);
        return;
      } catch (cause) {
        const error = cause instanceof ApiError ? cause : ApiError.network(cause);
        const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
        if (!error.isTransient || offline || attempt + 1 >= this.#attempts) {
          this.#update(clientId, { status: 'failed', error });
          return;
        }
        const wait =
          error.retryAfter !== undefined ? error.retryAfter * 1000 : backoffDelay(attempt, { baseMs: this.#retryBaseMs, maxMs: 10_000 });
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  #update(clientId: string, patch: Partial<OutboxEntry>): void {
    this.#entries = this.#entries.map((entry) => (entry.clientId === clientId ? { ...entry, ...patch } : entry));
    this.emit('change', this.#entries);
  }
}

function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID exists only in secure contexts; a LAN address over plain HTTP is not one.
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
