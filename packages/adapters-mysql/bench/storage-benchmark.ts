import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from '../src/database.js';
import { mysqlDialect } from '../src/dialects/mysql.js';
import { migrate } from '../src/migrate.js';
import { kyselyStorage } from '../src/storage.js';
import { adminConnection, scratchDatabase } from '../test/support/mysql-server.js';
import { Seeder } from '../test/support/seeder.js';

const SERVER = process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
const REPORT = process.env.BENCHMARKS_FILE ?? new URL('../../../BENCHMARKS.md', import.meta.url).pathname;
const USERS = 1_000;
const SMALL = 10_000;
const LARGE = Number(process.env.BENCH_MESSAGES ?? 1_000_000);
const SAMPLES = 2_000;
const WARMUP = 200;
const SENDERS = 32;
const SEND_SECONDS = 15;

interface Figures {
  median: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function measure(run: (i: number) => Promise<unknown>): Promise<Figures> {
  for (let i = 0; i < WARMUP; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

type Admin = Awaited<ReturnType<typeof adminConnection>>;

async function status(admin: Admin, name: string): Promise<number> {
  const [rows] = (await admin.query('show global status like ?', [name])) as unknown as [{ Value: string }[]];
  return Number(rows[0]?.Value ?? 0);
}

/** After a bulk load InnoDB flushes dirty pages for a while; measuring during that measures the flush. */
async function settle(admin: Admin, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const pages = await status(admin, 'Innodb_buffer_pool_pages_total');
  while (Date.now() - started < 60_000) {
    const dirty = await status(admin, 'Innodb_buffer_pool_pages_dirty');
    if (dirty < pages * 0.05) break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  log(`settled in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

it('measures the hot queries at 10k and 1M messages, and send throughput', async () => {
  const scratch = await scratchDatabase(SERVER);
  const url = new URL(scratch.url);
  url.searchParams.set('connectionLimit', String(SENDERS));
  const database = openDatabase(url.toString());
  const admin = await adminConnection(SERVER);
  const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
  try {
    await migrate(database.db);
    const store = kyselyStorage(database);
    const seeder = new Seeder(database.db, mysqlDialect, USERS, 30, 7);
    await seeder.createUsers();

    const queries = {
      'history page (15 newest of a conversation)': () => {
        const [a, b] = seeder.aPair();
        return store.messages.history({ userId: a, peerId: b, limit: 16 });
      },
      'catch-up page (100 after an id)': () =>
        store.messages.after({
          userId: seeder.userId(Math.floor(Math.random() * USERS)),
          // Within the newest 10,000 ids, as after a reconnect: the same expected page at both sizes.
          afterId: String(Math.max(0, seeder.messageCount - Math.floor(Math.random() * SMALL))),
          limit: 101,
        }),
      'inbox page (20 conversations)': () =>
        store.messages.conversations({ userId: seeder.userId(Math.floor(Math.random() * USERS)), limit: 21 }),
      'user prefix search (50 of a prefix)': () =>
        store.users.list({ excludeUserId: '1', prefix: `USER00${Math.floor(Math.random() * 10)}`, limit: 51 }),
    };

    const results = new Map<string, { small: Figures; large: Figures; diskReads: number }>();
    const load: number[] = [];
    const analyze = async () => {
      for (const table of ['users', 'messages', 'conversations']) await sql.raw(`analyze table ${table}`).execute(database.db);
    };

    // Sends: 32 concurrent senders, each a chain of appends with a clientId, as the API sends them.
    const sendRate = async (): Promise<number> => {
      let sent = 0;
      const started = Date.now();
      const deadline = started + SEND_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: SENDERS }, async (_, sender) => {
          let n = 0;
          while (Date.now() < deadline) {
            const from = Math.floor(Math.random() * USERS);
            const to = (from + 1 + Math.floor(Math.random() * (USERS - 1))) % USERS;
            const outcome = await store.messages.append({
              senderId: seeder.userId(from),
              recipient: seeder.username(to),
              body: `benchmark message ${sender}-${n}`,
              clientId: `bench-${Date.now()}-${sender}-${n++}`,
              createdAt: new Date(),
            });
            if (outcome.ok && outcome.value.created) sent++;
          }
        }),
      );
      return sent / ((Date.now() - started) / 1000);
    };

    let started = Date.now();
    await seeder.addMessages(SMALL);
    await analyze();
    log(`seeded ${SMALL} messages in ${Date.now() - started} ms`);
    await settle(admin, log);
    const small = new Map<string, Figures>();
    load.push(os.loadavg()[0] ?? 0);
    for (const [name, run] of Object.entries(queries)) small.set(name, await measure(run));
    const smallSends = await sendRate();
    log(`sends at ${SMALL}: ${smallSends.toFixed(0)} msgs/s`);
    // The seeder continues with its own ids and rewrites every inbox row from its own record.
    await database.db.deleteFrom('messages').where('id', '>', BigInt(seeder.messageCount)).execute();

    started = Date.now();
    await seeder.addMessages(LARGE - SMALL, 5_000, (done) => {
      if (done % 100_000 === 0) log(`  ${done + SMALL} messages`);
    });
    await analyze();
    const seedSeconds = (Date.now() - started) / 1000;
    log(`seeded up to ${LARGE} messages in ${seedSeconds.toFixed(0)} s`);
    await settle(admin, log);
    load.push(os.loadavg()[0] ?? 0);
    for (const [name, run] of Object.entries(queries)) {
      const readsBefore = await status(admin, 'Innodb_buffer_pool_reads');
      const large = await measure(run);
      const diskReads = ((await status(admin, 'Innodb_buffer_pool_reads')) - readsBefore) / (SAMPLES + WARMUP);
      results.set(name, { small: small.get(name) as Figures, large, diskReads });
    }
    const largeSends = await sendRate();
    log(`sends at ${LARGE}: ${largeSends.toFixed(0)} msgs/s`);

    const [[version]] = (await admin.query(
      'select version() as v, @@innodb_buffer_pool_size as pool, @@innodb_flush_log_at_trx_commit as flush',
    )) as unknown as [[{ v: string; pool: string; flush: string }]];

    const ms = (value: number) => value.toFixed(2);
    const big = LARGE >= 1_000_000 ? `${LARGE / 1_000_000}M` : `${LARGE / 1_000}k`;
    const rows = [...results].map(([name, { small: s, large: l, diskReads }]) => {
      const ratio = l.p99 / s.p99;
      return `| ${name} | ${ms(s.median)} | ${ms(s.p99)} | ${ms(l.median)} | ${ms(l.p99)} | ${ratio.toFixed(2)}× ${ratio <= 2 ? '✓' : '✗'} | ${diskReads.toFixed(2)} |`;
    });
    const rate = (value: number) => `${value.toFixed(0)} msgs/s ${value >= 2000 ? '✓' : '✗'}`;
    const section = `## Storage (\`npm run bench:storage\`)

Run on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version},
${version?.v} with its stock settings (\`innodb_buffer_pool_size\` ${Math.round(Number(version?.pool) / 2 ** 20)} MiB,
\`innodb_flush_log_at_trx_commit\` ${version?.flush}: every commit is flushed to disk), on the same machine as the client.

### Method

- A fresh database, migrated by \`migrate()\`. ${USERS.toLocaleString('en')} users; each writes to a fixed circle of 30 friends.
- Messages are bulk-loaded with multi-row \`INSERT\`s (5,000 rows each, explicit ids, half with a clientId) and the
  inbox rows written as \`append\` would have left them; then \`ANALYZE TABLE\`. Loading the remaining
  ${(LARGE - SMALL).toLocaleString('en')} messages took ${seedSeconds.toFixed(0)} s.
- Each query is called through the repositories (\`KyselyMessageRepository\`, \`KyselyUserRepository\`) exactly as the
  use cases call them, one at a time from one client: ${WARMUP} warm-up calls, then ${SAMPLES.toLocaleString('en')} timed calls with
  random parameters (a random conversation that exists, a random user, a random prefix, and for catch-up a random id among
  the newest 10,000, as after a reconnect, so that the expected page is the same at both sizes).
  Times are wall-clock round trips in milliseconds, including the joins that fetch both usernames.
- The same queries are measured at ${SMALL.toLocaleString('en')} and, in the same run, at ${LARGE.toLocaleString('en')} messages.
- After each bulk load the benchmark waits until InnoDB has flushed its dirty pages (below 5% of the pool, at most a minute).
- Sends: ${SENDERS} concurrent senders for ${SEND_SECONDS} s (at both sizes), each awaiting \`KyselyMessageRepository.append\` (with a clientId: one
  \`CALL send_message\`, a server-side transaction that finds the recipient, locks both users lower id first, inserts the
  message, whose unique (sender, clientId) key catches retries, and upserts both inbox rows) over a pool of ${SENDERS} connections,
  random sender and recipient among all users. Counted: committed messages per second.

### Results

| query | median at 10k (ms) | p99 at 10k (ms) | median at ${big} (ms) | p99 at ${big} (ms) | p99 ${big} / 10k (goal ≤ 2×) | buffer-pool misses per call at ${big} |
|---|---|---|---|---|---|---|
${rows.join('\n')}

| sends, ${SENDERS} concurrent senders (goal ≥ 2,000/s) | at ${SMALL.toLocaleString('en')} messages | at ${LARGE.toLocaleString('en')} messages |
|---|---|---|
| committed messages per second | ${rate(smallSends)} | ${rate(largeSends)} |

Machine load (1-minute load average, other work on the same 2 cores included) when measuring at 10k: ${load[0]?.toFixed(1)},
at ${big}: ${load[1]?.toFixed(1)}. "Buffer-pool misses" counts InnoDB page reads from disk per call: when the tables no longer fit
the ${Math.round(Number(version?.pool) / 2 ** 20)} MiB buffer pool, each miss is a disk read, and that, not the query plan, is what grows.

Every query above is a single index range scan (held by \`packages/adapters-mysql/test/mysql-explain.test.ts\`), which is
why its latency does not grow with the table.
`;
    writeFileSync(REPORT, withStorageSection(readOrEmpty(REPORT), section));
    log(`wrote the storage section of ${REPORT}`);
    console.log(rows.join('\n'));
    expect(results.size).toBe(4);
  } finally {
    await admin.end();
    await database.close();
    await scratch.drop();
  }
});

const START = '<!-- npm run bench:storage: start -->';
const END = '<!-- npm run bench:storage: end -->';

/** Rewrites only this benchmark's section: the rest of the file belongs to the other benchmarks and their readings. */
function withStorageSection(existing: string, section: string): string {
  const block = `${START}\n${section.trim()}\n${END}`;
  const start = existing.indexOf(START);
  const end = existing.indexOf(END);
  if (start >= 0 && end > start) return `${existing.slice(0, start)}${block}${existing.slice(end + END.length)}`;
  return `${existing.trimEnd()}\n\n${block}\n`;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '# Benchmarks\n';
  }
}
