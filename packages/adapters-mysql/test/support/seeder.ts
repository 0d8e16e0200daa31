import type { Kysely } from 'kysely';
import type { SqlDialect } from '../../src/dialects/sql-dialect.js';
import type { Database } from '../../src/schema.js';

/** Deterministic pseudo-random numbers, so every run seeds the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Inbox {
  lastMessageId: number;
  unread: number;
}

const WORDS = ['hello', 'lunch', 'tomorrow', 'meeting', 'ok', 'thanks', '👍', 'café', 'later', 'deploy', 'review', '中文'];

/**
 * Bulk-loads users and messages with multi-row INSERTs and explicit ids,
 * keeping the inbox rows exactly as `append` would have left them. Each
 * user writes to a fixed circle of friends, as people do. Starts from empty tables.
 */
export class Seeder {
  private readonly random: () => number;
  private readonly friends: number[][] = [];
  private readonly inbox = new Map<string, Inbox>();
  private nextMessageId = 1;
  private pairs: string[] | undefined;
  private clock = Date.parse('2030-01-01T00:00:00.000Z');

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialect,
    readonly userCount: number,
    private readonly friendsPerUser = 30,
    seed = 42,
  ) {
    this.random = mulberry32(seed);
  }

  get messageCount(): number {
    return this.nextMessageId - 1;
  }

  userId(index: number): string {
    return String(index + 1);
  }

  username(index: number): string {
    return `user${String(index).padStart(5, '0')}`;
  }

  async createUsers(batch = 1000): Promise<void> {
    const createdAt = this.dialect.encodeTime(new Date(this.clock));
    for (let start = 0; start < this.userCount; start += batch) {
      const rows = [];
      for (let i = start; i < Math.min(this.userCount, start + batch); i++) {
        const username = this.username(i);
        rows.push({ id: BigInt(i + 1), username, username_key: username, password_hash: 'seeded', created_at: createdAt });
      }
      await this.db.insertInto('users').values(rows).execute();
    }
    for (let i = 0; i < this.userCount; i++) {
      const circle = new Set<number>();
      while (circle.size < Math.min(this.friendsPerUser, this.userCount - 1)) {
        const friend = Math.floor(this.random() * this.userCount);
        if (friend !== i) circle.add(friend);
      }
      this.friends.push([...circle]);
    }
  }

  /** Appends `count` messages, then rewrites the inbox rows. */
  async addMessages(count: number, batch = 2000, onProgress?: (done: number) => void): Promise<void> {
    let done = 0;
    while (done < count) {
      const size = Math.min(batch, count - done);
      const rows = [];
      for (let i = 0; i < size; i++) {
        const sender = Math.floor(this.random() * this.userCount);
        const recipient = this.friends[sender]?.[Math.floor(this.random() * this.friendsPerUser)] ?? (sender + 1) % this.userCount;
        const id = this.nextMessageId++;
        this.clock += 1 + Math.floor(this.random() * 50);
        const [s, r] = [sender + 1, recipient + 1];
        rows.push({
          id: BigInt(id),
          sender_id: BigInt(s),
          recipient_id: BigInt(r),
          pair_low: BigInt(Math.min(s, r)),
          pair_high: BigInt(Math.max(s, r)),
          body: this.body(),
          client_id: this.random() < 0.5 ? `seed-${id}` : null,
          created_at: this.dialect.encodeTime(new Date(this.clock)),
        });
        this.touch(s, r, id, 0);
        this.touch(r, s, id, 1);
      }
      await this.db.insertInto('messages').values(rows).execute();
      done += size;
      onProgress?.(done);
    }
    await this.writeInbox();
    this.pairs = undefined;
  }

  /** Some pair that has exchanged messages, for history queries. */
  aPair(): [string, string] {
    this.pairs ??= [...this.inbox.keys()];
    const key = this.pairs[Math.floor(this.random() * this.pairs.length)] as string;
    const [a, b] = key.split(':') as [string, string];
    return [a, b];
  }

  private touch(owner: number, peer: number, id: number, unread: number): void {
    const key = `${owner}:${peer}`;
    const row = this.inbox.get(key);
    if (row) {
      row.lastMessageId = id;
      row.unread += unread;
    } else this.inbox.set(key, { lastMessageId: id, unread });
  }

  private async writeInbox(batch = 2000): Promise<void> {
    await this.db.deleteFrom('conversations').execute();
    let rows = [];
    for (const [key, row] of this.inbox) {
      const [owner, peer] = key.split(':') as [string, string];
      rows.push({ user_id: BigInt(owner), peer_id: BigInt(peer), last_message_id: BigInt(row.lastMessageId), unread_count: row.unread });
      if (rows.length >= batch) {
        await this.db.insertInto('conversations').values(rows).execute();
        rows = [];
      }
    }
    if (rows.length > 0) await this.db.insertInto('conversations').values(rows).execute();
  }

  private body(): string {
    const words = 3 + Math.floor(this.random() * 12);
    const out: string[] = [];
    for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(this.random() * WORDS.length)] as string);
    return out.join(' ');
  }
}
