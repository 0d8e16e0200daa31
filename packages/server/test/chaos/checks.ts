import { createConnection } from 'mysql2/promise';
import type { Send, User } from './load.js';

export interface Row {
  readonly fault: string;
  readonly sent: number;
  readonly acknowledged: number;
  readonly stored: number;
  readonly delivered: number;
  readonly lost: number;
  readonly duplicated: number;
}

export interface Verdict {
  readonly row: Row;
  /** Every broken promise found, in words; empty when the phase kept them all. */
  readonly problems: string[];
}

interface StoredMessage {
  id: string;
  sender: string;
  recipient: string;
  clientId: string | null;
  body: string;
}

/** Reads the store directly (not through the servers) and holds every promise against it. */
export async function verify(databaseUrl: string, fault: string, users: readonly User[], sends: readonly Send[]): Promise<Verdict> {
  const problems: string[] = [];
  const connection = await createConnection({ uri: databaseUrl, supportBigNumbers: true, bigNumberStrings: true });
  let stored: StoredMessage[];
  let inbox: { user: string; peer: string; unread: number; expected: number }[];
  try {
    const [messageRows] = await connection.query(
      `select m.id, s.username as sender, r.username as recipient, m.client_id as clientId, m.body
         from messages m join users s on s.id = m.sender_id join users r on r.id = m.recipient_id order by m.id`,
    );
    stored = (messageRows as StoredMessage[]).map((m) => ({ ...m, id: String(m.id) }));
    const [inboxRows] = await connection.query(
      `select u.username as user, p.username as peer, c.unread_count as unread,
              (select count(*) from messages m where m.sender_id = c.peer_id and m.recipient_id = c.user_id and m.id > c.last_read_id) as expected
         from conversations c join users u on u.id = c.user_id join users p on p.id = c.peer_id`,
    );
    inbox = (inboxRows as { user: string; peer: string; unread: unknown; expected: unknown }[]).map((r) => ({
      ...r,
      unread: Number(r.unread),
      expected: Number(r.expected),
    }));
  } finally {
    await connection.end();
  }

  // Stored exactly once: one row per (sender, clientId), and no row that no send asked for.
  const byKey = new Map<string, StoredMessage[]>();
  for (const message of stored) {
    const key = `${message.sender}/${message.clientId}`;
    byKey.set(key, [...(byKey.get(key) ?? []), message]);
  }
  const known = new Set(sends.map((s) => `${s.sender.username}/${s.clientId}`));
  let storedTwice = 0;
  for (const [key, rows] of byKey) {
    if (rows.length > 1) {
      storedTwice += rows.length - 1;
      problems.push(`${key} stored ${rows.length} times`);
    }
    if (!known.has(key)) problems.push(`${key} stored, but no client sent it`);
  }

  const phaseSends = sends.filter((s) => s.phase === fault);
  let lostAcknowledged = 0;
  for (const send of phaseSends) {
    const rows = byKey.get(`${send.sender.username}/${send.clientId}`) ?? [];
    if (send.acknowledged && rows[0]?.id !== send.acknowledged.id) {
      lostAcknowledged += 1;
      problems.push(`${send.clientId} acknowledged as ${send.acknowledged.id} but stored as ${rows[0]?.id ?? 'nothing'}`);
    }
    if (rows[0] && (rows[0].body !== send.body || rows[0].recipient !== send.recipient.username)) {
      problems.push(`${send.clientId} stored with another body or recipient`);
    }
  }

  // In order per conversation: one send at a time per sender, so acknowledgement order is id order.
  for (const user of users) {
    const mine = sends
      .filter((s) => s.sender === user && s.acknowledged)
      .sort((a, b) => (a.acknowledged?.at ?? 0) - (b.acknowledged?.at ?? 0));
    for (let i = 1; i < mine.length; i++) {
      if (BigInt(mine[i]?.acknowledged?.id ?? 0) <= BigInt(mine[i - 1]?.acknowledged?.id ?? 0)) {
        problems.push(`${user.username}'s messages stored out of order: ${mine[i - 1]?.clientId} then ${mine[i]?.clientId}`);
      }
    }
  }

  // Every client holds exactly the store's messages of its user: no gap, no extra, each emitted once.
  let emittedTwice = 0;
  const holds = (user: string, id: string) => users.find((u) => u.username === user)?.client.messages.has(id) ?? false;
  for (const user of users) {
    const expected = new Set(stored.filter((m) => m.sender === user.username || m.recipient === user.username).map((m) => m.id));
    const held = new Set(user.client.messages.keys());
    const missing = [...expected].filter((id) => !held.has(id));
    const extra = [...held].filter((id) => !expected.has(id));
    if (missing.length > 0) problems.push(`${user.username}'s client misses ${missing.length}: ${missing.slice(0, 5).join(', ')}`);
    if (extra.length > 0)
      problems.push(`${user.username}'s client holds ${extra.length} not in the store: ${extra.slice(0, 5).join(', ')}`);
    for (const [id, count] of user.client.emitted) {
      if (count > 1) {
        emittedTwice += count - 1;
        problems.push(`${user.username}'s client emitted ${id} ${count} times`);
      }
    }
  }

  // Unread counts are what the read markers imply.
  for (const row of inbox) {
    if (row.unread !== row.expected)
      problems.push(`${row.user}'s unread count with ${row.peer} is ${row.unread}, the marker implies ${row.expected}`);
  }

  const phaseStored = phaseSends
    .map((s) => byKey.get(`${s.sender.username}/${s.clientId}`)?.[0])
    .filter((m): m is StoredMessage => m !== undefined);
  const delivered = phaseStored.filter((m) => holds(m.sender, m.id) && holds(m.recipient, m.id)).length;
  return {
    row: {
      fault,
      sent: phaseSends.length,
      acknowledged: phaseSends.filter((s) => s.acknowledged).length,
      stored: phaseStored.length,
      delivered,
      lost: lostAcknowledged + (phaseStored.length - delivered),
      duplicated: storedTwice + emittedTwice,
    },
    problems,
  };
}

/** True once every client holds every stored message of its user (the checks then look for anything else). */
export async function converged(databaseUrl: string, users: readonly User[]): Promise<boolean> {
  const connection = await createConnection({ uri: databaseUrl, supportBigNumbers: true, bigNumberStrings: true });
  try {
    const [rows] = await connection.query(
      'select m.id, s.username as sender, r.username as recipient from messages m join users s on s.id = m.sender_id join users r on r.id = m.recipient_id',
    );
    const byUser = new Map(users.map((u) => [u.username, u]));
    return (rows as { id: unknown; sender: string; recipient: string }[]).every(
      (m) => byUser.get(m.sender)?.client.messages.has(String(m.id)) && byUser.get(m.recipient)?.client.messages.has(String(m.id)),
    );
  } finally {
    await connection.end();
  }
}

export function table(rows: readonly Row[]): string {
  const header = ['fault', 'sent', 'acknowledged', 'stored', 'delivered', 'lost', 'duplicated'] as const;
  const cells = [header as readonly string[], ...rows.map((r) => header.map((h) => String(r[h])))];
  const widths = header.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: readonly string[]) =>
    `| ${c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join(' | ')} |`;
  return [
    line(cells[0] ?? []),
    `|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w - 1)}:-`)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}
