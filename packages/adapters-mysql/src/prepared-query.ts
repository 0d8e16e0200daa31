import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * A query built and compiled once, run with new parameter values each time.
 * Kysely builds and compiles a query on every run, a few kilobytes of
 * short-lived objects; the lookups every request and every WebSocket handshake
 * make (a session by token, by id; its user) are worth keeping from that.
 * Built from the same builder, so the SQL is the dialect's own; the values
 * are given in the order the builder placed its parameters.
 */
export class PreparedQuery<Row> {
  private readonly compiled: CompiledQuery<Row>;

  constructor(query: Compilable<Row>, parameterCount: number) {
    this.compiled = query.compile();
    if (this.compiled.parameters.length !== parameterCount) {
      throw new Error(`a prepared query has ${this.compiled.parameters.length} parameters, not ${parameterCount}: ${this.compiled.sql}`);
    }
  }

  async first<DB>(db: Kysely<DB>, parameters: readonly unknown[]): Promise<Row | undefined> {
    if (parameters.length !== this.compiled.parameters.length) throw new Error(`expected ${this.compiled.parameters.length} parameters`);
    const { rows } = await db.executeQuery<Row>({ ...this.compiled, parameters });
    return rows[0];
  }
}
