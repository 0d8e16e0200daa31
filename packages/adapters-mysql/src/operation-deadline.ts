import { AsyncLocalStorage } from 'node:async_hooks';
import { Overloaded, StoreUnavailable } from '@message-center/core';
import type { MysqlPool, MysqlPoolConnection, MysqlQueryResult } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';

/**
 * Why the deadline lives here, at the pool, and not at the HTTP edge or in a
 * use case: a database that stops answering (a partition, a frozen server)
 * does not fail, it hangs. A timer above the adapter could answer 503, but the
 * transaction would go on underneath and might still commit after the 503,
 * and the pooled connection would stay taken, so the next requests (the 503s
 * too) would queue behind it. Only the adapter can actually give up: it
 * destroys the connection, which frees the pool slot at once and makes the
 * server roll back whatever was not yet committed, so a send is all or nothing.
 *
 * So each repository operation (`guarded`) opens one budget, and every wait
 * inside it is bounded by what is left of it: waiting for a pooled connection,
 * opening one, and each statement. Migrations run outside any operation and
 * have no budget: a long `ALTER` is not an outage.
 */
const operation = new AsyncLocalStorage<{ readonly startedAt: number }>();

/** Runs one store operation; nested operations share the outer one's budget. */
export function asOneOperation<T>(work: () => Promise<T>): Promise<T> {
  if (operation.getStore()) return work();
  return operation.run({ startedAt: Date.now() }, work);
}

/** Milliseconds left to the operation running now, or undefined outside any. */
export function timeLeft(budgetMs: number): number | undefined {
  const current = operation.getStore();
  return current ? current.startedAt + budgetMs - Date.now() : undefined;
}

/**
 * Runs `giveUp` at `ms`, unless `settled()` by then. A timer that fires late
 * because the event loop was busy would otherwise win against an answer that
 * arrived meanwhile and waits, unread, in the socket: timers run before I/O
 * callbacks. So the verdict waits for one turn of the loop's I/O phase.
 */
function afterBudget(ms: number, settled: () => boolean, giveUp: () => void): NodeJS.Timeout {
  return setTimeout(
    () =>
      setImmediate(() => {
        if (!settled()) giveUp();
      }),
    Math.max(ms, 0),
  );
}

function noAnswer(budgetMs: number, waitingFor: string): StoreUnavailable {
  return new StoreUnavailable(undefined, { cause: new Error(`no answer from the database within ${budgetMs} ms (${waitingFor})`) });
}

/** mysql2's pool, as Kysely uses it, with every wait inside an operation bounded by its budget. */
export class DeadlinePool implements MysqlPool {
  /** One wrapper per connection: Kysely runs its per-connection setup once per object it is given. */
  private readonly wrapped = new WeakMap<PoolConnection, MysqlPoolConnection>();

  /** Connections handed out and not yet released or destroyed: when all are, a new operation queues. */
  private readonly busy = new Set<PoolConnection>();

  /**
   * @param waitLimit How long an operation may queue for a pooled connection
   * while all `connectionLimit` are busy before it is refused with `Overloaded`
   * (503 and `Retry-After`): every connection busy is a server past its
   * capacity, and a request that queues behind the others longer would come
   * back slow, not sooner. Opening a connection is not queueing and has the
   * operation's whole budget; so has a wait outside any operation.
   */
  constructor(
    private readonly pool: Pool,
    private readonly budgetMs: number,
    private readonly waitLimit: { readonly connectionLimit: number; readonly poolWaitMs: number } = {
      connectionLimit: Number.POSITIVE_INFINITY,
      poolWaitMs: Number.POSITIVE_INFINITY,
    },
  ) {}

  getConnection(callback: (error: unknown, connection: MysqlPoolConnection) => void): void {
    const left = timeLeft(this.budgetMs);
    if (left === undefined) {
      this.pool.getConnection((error, connection) => callback(error, connection && this.handOut(connection)));
      return;
    }
    let settled = false;
    const queued = this.busy.size >= this.waitLimit.connectionLimit && left > this.waitLimit.poolWaitMs;
    const timer = afterBudget(
      queued ? this.waitLimit.poolWaitMs : left,
      () => settled,
      () => {
        settled = true;
        const error = queued ? new Overloaded(1) : noAnswer(this.budgetMs, 'a pooled connection');
        callback(error, undefined as unknown as MysqlPoolConnection);
      },
    );
    this.pool.getConnection((error, connection) => {
      if (settled) {
        // Given up on already: hand it straight back for the next caller.
        connection?.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      callback(error, connection && this.handOut(connection));
    });
  }

  end(callback: (error: unknown) => void): void {
    this.pool.end(callback);
  }

  private handOut(raw: PoolConnection): MysqlPoolConnection {
    this.busy.add(raw);
    let connection = this.wrapped.get(raw);
    if (!connection) {
      connection = this.deadlineConnection(raw);
      this.wrapped.set(raw, connection);
    }
    return connection;
  }

  private deadlineConnection(raw: PoolConnection): MysqlPoolConnection {
    const budgetMs = this.budgetMs;
    const busy = this.busy;
    function query(sql: string, parameters: unknown[]): ReturnType<MysqlPoolConnection['query']>;
    function query(sql: string, parameters: unknown[], callback: (error: unknown, result: MysqlQueryResult) => void): void;
    function query(sql: string, parameters: unknown[], callback?: (error: unknown, result: MysqlQueryResult) => void): unknown {
      // Streaming: this package never streams, so it is passed through unbounded.
      if (!callback) return raw.query(sql, parameters);
      const left = timeLeft(budgetMs);
      if (left === undefined) {
        raw.query(sql, parameters, (error, result) => callback(error, result as MysqlQueryResult));
        return;
      }
      let settled = false;
      const giveUp = () => {
        settled = true;
        // A statement may be half way through a transaction: dropping the connection
        // makes the server roll it back, and takes it out of the pool for good.
        raw.destroy();
        busy.delete(raw);
        callback(noAnswer(budgetMs, 'a statement'), [] as MysqlQueryResult);
      };
      if (left <= 0) return giveUp();
      const timer = afterBudget(left, () => settled, giveUp);
      raw.query(sql, parameters, (error, result) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        callback(error, result as MysqlQueryResult);
      });
    }
    // The overloads are declared above; TypeScript cannot check an implementation against them.
    return {
      query: query as MysqlPoolConnection['query'],
      release: () => {
        busy.delete(raw);
        raw.release();
      },
    };
  }
}
