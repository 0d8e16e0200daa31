import { inMemoryPorts } from '../../memory/in-memory-ports.js';
import { ManualClock } from '../../memory/manual-clock.js';
import type { Message } from '../../messages/message.js';
import type { Notification } from '../../notifications/events.js';
import { compareIds } from '../../shared/ids.js';
import type { User } from '../../users/user.js';
import type { UseCases } from '../../wiring/container-module.js';
import { createUseCasesFrom } from '../../wiring/core-container.js';
import type { StorageFixture } from '../storage-fixture.js';
import { CONNECTIONS_PER_USER, MODEL_USERNAMES } from './ops.js';

/** What the model believes was stored: one entry per message, whoever sent it how many times. */
export interface StoredMessage {
  readonly id: string;
  readonly from: number;
  readonly to: number;
  readonly body: string;
  /** Ticks of the first send's start and answer: a send answered before another started must get the lower id. */
  readonly startedAt: number;
  readonly answeredAt: number;
}

/**
 * One connection of one user, behaving as API.md asks of clients (and as
 * the web client does): its cursor moves only through catch-up pages; a
 * notification above the cursor starts a catch-up, one at or below it is fetched alone.
 */
export interface ModelClient {
  readonly user: number;
  readonly slot: number;
  connected: boolean;
  cursor: string;
  /** Every id the catch-up pages brought, in the order they came. */
  readonly caughtUp: string[];
  /** Every message the client holds, by id (catch-up and single fetches). */
  readonly holds: Map<string, Message>;
  /** Its catch-ups, one after another as a real client runs them. */
  queue: Promise<void>;
}

/**
 * The use cases on one storage backend with the in-process notifier, and
 * the simulated clients that listen to it. Work a notification starts runs in
 * the background; `settle()` waits for it and rethrows what went wrong there.
 */
export class ModelWorld {
  readonly useCases: UseCases;
  readonly clock = new ManualClock('2031-01-01T00:00:00.000Z');
  readonly clients: ModelClient[] = [];
  readonly users: User[] = [];
  readonly stored = new Map<string, StoredMessage>();
  /** `sender\0clientId` → the message that clientId names. */
  readonly byClientId = new Map<string, string>();
  /** `reader\0peer` → the marker the model expects. */
  readonly markers = new Map<string, string>();
  tick = 0;
  private readonly background = new Set<Promise<void>>();
  private readonly failures: unknown[] = [];

  constructor(readonly storage: StorageFixture) {
    const ports = inMemoryPorts({
      users: storage.users,
      sessions: storage.sessions,
      messages: storage.messages,
      throttle: storage.throttle,
      tickets: storage.tickets,
      clock: this.clock,
      delivery: { deliver: (notification) => this.deliver(notification) },
    });
    this.useCases = createUseCasesFrom(ports);
  }

  async start(): Promise<void> {
    for (const username of MODEL_USERNAMES) {
      const user = await this.storage.users.create({ username, passwordHash: 'not used by the model' });
      if (!user) throw new Error(`model set-up: ${username} exists already; the store was not empty`);
      this.users.push(user);
    }
    for (let user = 0; user < MODEL_USERNAMES.length; user++) {
      for (let slot = 0; slot < CONNECTIONS_PER_USER; slot++) {
        // The first tab of each user is open from the start; the others open when a step opens them.
        this.clients.push({ user, slot, connected: slot === 0, cursor: '0', caughtUp: [], holds: new Map(), queue: Promise.resolve() });
      }
    }
  }

  client(user: number, slot: number): ModelClient {
    const found = this.clients.find((c) => c.user === user && c.slot === slot);
    if (!found) throw new Error(`no client ${user}/${slot}`);
    return found;
  }

  nameOf(user: number): string {
    return MODEL_USERNAMES[user] as string;
  }

  userOf(user: number): User {
    const found = this.users[user];
    if (!found) throw new Error(`no user ${user}`);
    return found;
  }

  /** Queues a catch-up on the client: from its cursor until a page says there is no more. */
  catchUp(client: ModelClient, limit: number): Promise<void> {
    const run = client.queue.then(async () => {
      const viewer = this.userOf(client.user);
      let after: string | null = client.cursor;
      while (after !== null) {
        const page = await this.useCases.catchUp.execute({ viewer, after, limit });
        if (!page.ok) throw new Error(`catch-up after ${after} refused: ${JSON.stringify(page.error)}`);
        for (const message of page.value.items) {
          if (message.sender.id !== viewer.id && message.recipient.id !== viewer.id) {
            throw new Error(
              `${viewer.username}'s catch-up returned message ${message.id} of ${message.sender.username} to ${message.recipient.username}`,
            );
          }
          client.caughtUp.push(message.id);
          client.holds.set(message.id, message);
          if (compareIds(message.id, client.cursor) > 0) client.cursor = message.id;
        }
        after = page.value.nextCursor;
      }
    });
    client.queue = run.catch(() => {});
    return run;
  }

  /** Waits for everything notifications started, then fails with the first thing that went wrong there. */
  async settle(): Promise<void> {
    while (this.background.size > 0) await Promise.all([...this.background]);
    const [failure] = this.failures.splice(0);
    if (failure !== undefined) throw failure;
  }

  private inBackground(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => {
      this.failures.push(error);
    });
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }

  private deliver(notification: Notification): void {
    if (notification.kind !== 'event') return;
    const { event } = notification;
    if (event.type !== 'message.created') return;
    const participants = [event.sender, event.recipient].map((name) => this.users.findIndex((u) => u.username === name));
    const expectedIds = participants.map((i) => this.users[i]?.id).sort();
    if (JSON.stringify([...notification.userIds].sort()) !== JSON.stringify(expectedIds)) {
      this.failures.push(new Error(`message.created ${event.id} addressed to ${notification.userIds.join(',')}, not its two participants`));
      return;
    }
    for (const client of this.clients) {
      if (client.connected && participants.includes(client.user)) this.onMessageCreated(client, event.id);
    }
  }

  private onMessageCreated(client: ModelClient, id: string): void {
    if (client.holds.has(id)) return;
    if (compareIds(id, client.cursor) > 0) {
      this.inBackground(this.catchUp(client, 100));
      return;
    }
    this.inBackground(
      (async () => {
        const fetched = await this.useCases.getMessage.execute({ viewer: this.userOf(client.user), id });
        if (!fetched.ok) throw new Error(`${this.nameOf(client.user)} was told of message ${id} but may not read it`);
        client.holds.set(id, fetched.value);
      })(),
    );
  }
}
