import { type CompiledQuery, Kysely, MysqlDialect, sql } from 'kysely';
import { createPool } from 'mysql2';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mysqlOptions } from '../src/database.js';
import { mysqlDialect } from '../src/dialects/mysql.js';
import type { Database } from '../src/schema.js';
import { type KyselyStorage, kyselyStorage } from '../src/storage.js';
import { describeMysql, useMysqlDatabase } from './support/mysql-suite.js';
import { Seeder } from './support/seeder.js';

interface PlanRow {
  id: number | string | null;
  select_type: string;
  table: string | null;
  type: string | null;
  key: string | null;
  Extra: string | null;
}

describeMysql('MySQL query plans of the hot queries', () => {
  const mysql = useMysqlDatabase();
  /** Every statement the repositories send, so the test EXPLAINs exactly what runs. */
  const sent: CompiledQuery[] = [];
  let db: Kysely<Database>;
  let store: KyselyStorage;
  let seeder: Seeder;

  beforeAll(async () => {
    db = new Kysely<Database>({
      dialect: new MysqlDialect({ pool: createPool(mysqlOptions(mysql().databaseUrl)) }),
      log: (event) => {
        if (event.level === 'query') sent.push(event.query);
      },
    });
    store = kyselyStorage({ db, dialect: 'mysql' });
    seeder = new Seeder(db, mysqlDialect, 300, 20);
    await seeder.createUsers();
    await seeder.addMessages(6_000);
    // Fresh statistics, as a live server would have, so the optimizer sees the real selectivity.
    for (const table of ['users', 'messages', 'conversations']) await sql.raw(`analyze table ${table}`).execute(db);
  });
  afterAll(() => db.destroy());

  /** Runs the call, and returns the plan of each statement it sent. */
  async function plansOf(call: () => Promise<unknown>): Promise<PlanRow[][]> {
    sent.length = 0;
    await call();
    // Transaction control (SET TRANSACTION, BEGIN, COMMIT) has no plan.
    const queries = sent.filter((query) => /^\s*\(?\s*(select|update|delete)\b/i.test(query.sql));
    const plans: PlanRow[][] = [];
    for (const query of queries) {
      const { rows } = await db.executeQuery<PlanRow>({ ...query, sql: `explain ${query.sql}` } as CompiledQuery<PlanRow>);
      plans.push(rows);
    }
    return plans;
  }

  function expectIndexedPlan(plan: PlanRow[], drivingTable: string, index: string): void {
    const described = JSON.stringify(plan, null, 1);
    for (const row of plan) {
      // The UNION ALL's result row is the merge buffer, not a table read.
      if (row.select_type === 'UNION RESULT') continue;
      expect(row.type, described).not.toBe('ALL');
      expect(row.type, described).not.toBe('index');
      expect(row.Extra ?? '', described).not.toMatch(/filesort/i);
      expect(row.Extra ?? '', described).not.toMatch(/temporary/i);
    }
    const driving = plan.find((row) => row.table === drivingTable);
    expect(driving?.key, described).toBe(index);
    // The driving table comes first (after single-row constants), so its index order is the result order.
    expect(plan.find((row) => row.type !== 'const' && row.type !== 'system')?.table, described).toBe(drivingTable);
  }

  it('history page: one backward range on (pair_low, pair_high, id)', async () => {
    const [a, b] = seeder.aPair();
    const [first] = await plansOf(() => store.messages.history({ userId: a, peerId: b, limit: 16 }));
    expectIndexedPlan(first ?? [], 'm', 'messages_pair_id');
    const [paged] = await plansOf(() => store.messages.history({ userId: b, peerId: a, beforeId: '3000', limit: 16 }));
    expectIndexedPlan(paged ?? [], 'm', 'messages_pair_id');
  });

  it('catch-up page: one range per direction on (sender_id, id) and (recipient_id, id)', async () => {
    const plans = await plansOf(() => store.messages.after({ userId: seeder.userId(7), afterId: '1000', limit: 101 }));
    expect(plans).toHaveLength(1);
    const plan = plans[0] ?? [];
    const described = JSON.stringify(plan, null, 1);
    expectIndexedPlan(plan, 'm', 'messages_sender_id');
    const messageReads = plan.filter((row) => row.table === 'm').map((row) => row.key);
    expect(messageReads, described).toEqual(['messages_sender_id', 'messages_recipient_id']);
  });

  it('inbox page: one backward range on (user_id, last_message_id)', async () => {
    const [first] = await plansOf(() => store.messages.conversations({ userId: seeder.userId(3), limit: 21 }));
    expectIndexedPlan(first ?? [], 'c', 'conversations_inbox');
    const [paged] = await plansOf(() => store.messages.conversations({ userId: seeder.userId(3), beforeLastMessageId: '4000', limit: 21 }));
    expectIndexedPlan(paged ?? [], 'c', 'conversations_inbox');
  });

  it('user prefix search: one range on username_key', async () => {
    const [plan] = await plansOf(() => store.users.list({ excludeUserId: seeder.userId(0), prefix: 'USER001', limit: 51 }));
    expectIndexedPlan(plan ?? [], 'users', 'users_username_key');
    const [paged] = await plansOf(() => store.users.list({ excludeUserId: '1', prefix: 'user0', afterKey: 'user00100', limit: 51 }));
    expectIndexedPlan(paged ?? [], 'users', 'users_username_key');
  });

  it('a send: one CALL, whose statements read the users and write by unique keys only', async () => {
    const [a, b] = seeder.aPair();
    const recipient = await db.selectFrom('users').select('username').where('id', '=', b).executeTakeFirstOrThrow();
    // A procedure's statements cannot be EXPLAINed from outside; the handler counters of the
    // session tell instead how many rows it read, and a scan of `users` would read hundreds.
    const reads = await db.connection().execute(async (connection) => {
      const counters = async () => {
        const { rows } = await sql<{ Variable_name: string; Value: string }>`show session status like 'Handler_read%'`.execute(connection);
        return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
      };
      const idle = await counters();
      const base = await counters();
      const storeOn = kyselyStorage({ db: connection, dialect: 'mysql' });
      sent.length = 0;
      const outcome = await storeOn.messages.append({
        senderId: a,
        recipient: recipient.username.toUpperCase(),
        body: 'one trip',
        clientId: null,
        createdAt: new Date(),
      });
      expect(outcome.ok).toBe(true);
      expect(sent.map((query) => query.sql)).toEqual(['call send_message(?, ?, ?, ?, ?, ?)']);
      const after = await counters();
      // What two SHOW STATUS read by themselves is taken off.
      return Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] ?? 0) - 2 * (base[name] ?? 0) + (idle[name] ?? 0)]));
    });
    console.log(`one send's row reads: ${JSON.stringify(reads)}`);
    expect(reads.Handler_read_rnd_next, JSON.stringify(reads)).toBeLessThan(20);
    expect(reads.Handler_read_next, JSON.stringify(reads)).toBeLessThan(20);
  });

  it('clientId lookup of a retried send: one row by the unique (sender_id, client_id)', async () => {
    const existing = await db
      .selectFrom('messages as m')
      .innerJoin('users as r', 'r.id', 'm.recipient_id')
      .select(['m.sender_id', 'r.username', 'm.client_id'])
      .where('m.client_id', 'is not', null)
      .executeTakeFirstOrThrow();
    let created: boolean | undefined;
    const plans = await plansOf(async () => {
      const outcome = await store.messages.append({
        senderId: String(existing.sender_id),
        recipient: existing.username,
        body: 'retry',
        clientId: existing.client_id,
        createdAt: new Date(),
      });
      created = outcome.ok ? outcome.value.created : undefined;
    });
    expect(created).toBe(false);
    // The CALL (refused by the unique key) has no plan; then the first message is read by the unique key.
    expect(plans).toHaveLength(1);
    const plan = plans[0] ?? [];
    expect(plan.find((row) => row.table === 'm')?.key, JSON.stringify(plan)).toBe('messages_sender_client_id');
    // Every table is read as a single row by a unique key.
    expect(plan.map((row) => row.type)).toEqual(['const', 'const', 'const']);
  });

  it("mark-read's recount: one range on (pair_low, pair_high, id)", async () => {
    const [a, b] = seeder.aPair();
    const plans = await plansOf(() => store.messages.markRead({ userId: a, peerId: b, lastReadId: '1' }));
    const recount = plans.find((plan) => plan.some((row) => row.table === 'messages'));
    expect(recount).toBeDefined();
    expectIndexedPlan(recount ?? [], 'messages', 'messages_pair_id');
    const lock = plans[0] ?? [];
    expect(lock[0]?.key, JSON.stringify(lock)).toBe('PRIMARY');
  });
});
