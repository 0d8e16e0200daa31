import type { Message } from '../../messages/message.js';
import { compareIds } from '../../shared/ids.js';
import type { ModelWorld, StoredMessage } from './model-world.js';

const sameList = (what: string, actual: readonly string[], expected: readonly string[]): void => {
  if (actual.length !== expected.length || actual.some((id, i) => id !== expected[i])) {
    throw new Error(`${what}:\n  got      [${actual.join(', ')}]\n  expected [${expected.join(', ')}]`);
  }
};

const between = (m: StoredMessage, a: number, b: number) => (m.from === a && m.to === b) || (m.from === b && m.to === a);

/**
 * The promise, checked once every client is back: what was acknowledged is
 * stored once, in order; every client holds exactly its user's messages;
 * unread counts are what the markers say; nobody sees anyone else's messages.
 */
export async function checkInvariants(world: ModelWorld): Promise<void> {
  const all = [...world.stored.values()].sort((x, y) => compareIds(x.id, y.id));
  const users = world.users.map((_, i) => i);

  for (const user of users) {
    const mine = all.filter((m) => m.from === user || m.to === user).map((m) => m.id);
    const fromScratch = await readAllAfter(world, user);
    sameList(
      `${world.nameOf(user)}'s messages in the store`,
      fromScratch.map((m) => m.id),
      mine,
    );
    for (const message of fromScratch) {
      const expected = world.stored.get(message.id);
      if (message.body !== expected?.body || message.sender.username !== world.nameOf(expected.from)) {
        throw new Error(`message ${message.id} reads back as ${JSON.stringify(message)}`);
      }
    }
    for (const client of world.clients.filter((c) => c.user === user)) {
      const name = `${world.nameOf(user)}'s connection ${client.slot}`;
      sameList(`${name}: its catch-up pages (no gap, no repeat)`, client.caughtUp, mine);
      sameList(`${name}: the messages it holds`, [...client.holds.keys()].sort(compareIds), mine);
    }
  }

  for (const a of users) {
    for (const b of users.filter((b) => b > a)) {
      const conversation = all.filter((m) => between(m, a, b));
      const history = await readHistory(world, a, b);
      sameList(
        `history of ${world.nameOf(a)} and ${world.nameOf(b)}, oldest first`,
        history,
        conversation.map((m) => m.id),
      );
      for (const earlier of conversation) {
        for (const later of conversation) {
          if (earlier.answeredAt < later.startedAt && compareIds(earlier.id, later.id) > 0) {
            throw new Error(`message ${earlier.id} was acknowledged before ${later.id} was sent, yet has the greater id`);
          }
        }
      }
    }
  }

  for (const owner of users) {
    const inbox = await readInbox(world, owner);
    const peers = users.filter((p) => p !== owner && all.some((m) => between(m, owner, p)));
    sameList(`${world.nameOf(owner)}'s inbox peers`, inbox.map((row) => row.peer).sort(), peers.map((p) => world.nameOf(p)).sort());
    for (const row of inbox) {
      const peer = world.users.findIndex((u) => u.username === row.peer);
      const conversation = all.filter((m) => between(m, owner, peer));
      const marker = world.markers.get(`${owner}\0${peer}`) ?? '0';
      const unread = conversation.filter((m) => m.from === peer && compareIds(m.id, marker) > 0).length;
      const last = conversation.at(-1)?.id;
      if (row.unreadCount !== unread || row.lastMessageId !== last) {
        throw new Error(
          `${world.nameOf(owner)}'s row for ${row.peer}: unread ${row.unreadCount}, last ${row.lastMessageId}; ` +
            `the markers say unread ${unread}, last ${last} (marker ${marker})`,
        );
      }
    }
  }

  for (const message of all) {
    for (const outsider of users.filter((u) => u !== message.from && u !== message.to)) {
      const read = await world.useCases.getMessage.execute({ viewer: world.userOf(outsider), id: message.id });
      if (read.ok || read.error.kind !== 'message-not-found') {
        throw new Error(`${world.nameOf(outsider)} could read message ${message.id} between two others`);
      }
    }
  }
}

async function readAllAfter(world: ModelWorld, user: number): Promise<Message[]> {
  const out: Message[] = [];
  let after: string | null = '0';
  while (after !== null) {
    const page = await world.useCases.catchUp.execute({ viewer: world.userOf(user), after, limit: 500 });
    if (!page.ok) throw new Error(`catch-up refused: ${JSON.stringify(page.error)}`);
    out.push(...page.value.items);
    after = page.value.nextCursor;
  }
  return out;
}

/** The conversation paged newest first in small pages, returned oldest first. */
async function readHistory(world: ModelWorld, a: number, b: number): Promise<string[]> {
  const newestFirst: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await world.useCases.listHistory.execute({ viewer: world.userOf(a), peer: world.nameOf(b), before, limit: 7 });
    if (!page.ok) throw new Error(`history refused: ${JSON.stringify(page.error)}`);
    newestFirst.push(...page.value.items.map((m) => m.id));
    if (page.value.nextCursor === null) return newestFirst.reverse();
    before = page.value.nextCursor;
  }
}

async function readInbox(world: ModelWorld, owner: number) {
  const rows: { peer: string; unreadCount: number; lastMessageId: string }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await world.useCases.listConversations.execute({ viewer: world.userOf(owner), cursor, limit: 2 });
    if (!page.ok) throw new Error(`inbox refused: ${JSON.stringify(page.error)}`);
    rows.push(...page.value.items.map((c) => ({ peer: c.peer.username, unreadCount: c.unreadCount, lastMessageId: c.lastMessage.id })));
    if (page.value.nextCursor === null) return rows;
    cursor = page.value.nextCursor;
  }
}
