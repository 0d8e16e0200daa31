import { join } from 'node:path';
import { type Running, registerUser, startCenter, tempDir } from './support.js';

/**
 * The fuzzers' settings: a fixed seed and a small time budget under `npm test`,
 * overridden by `npm run fuzz` (FUZZ_RUNS, FUZZ_TIME_MS) or to replay a failure (FUZZ_SEED).
 */
export const FUZZ = {
  seed: Number(process.env.FUZZ_SEED ?? 9_2026_1202),
  runs: Number(process.env.FUZZ_RUNS ?? 400),
  timeMs: Number(process.env.FUZZ_TIME_MS ?? 15_000),
} as const;

/** Room for the time budget plus set-up, so a run that hits the budget still ends inside the test's timeout. */
export const fuzzTimeout = (): number => FUZZ.timeMs * 2 + 60_000;

/** Every problem type of API.md with its status; anything else is undocumented. */
export const PROBLEM_STATUS: Readonly<Record<string, number>> = {
  'validation-failed': 422,
  'malformed-json': 400,
  'payload-too-large': 413,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  'username-taken': 409,
  'email-taken': 409,
  'client-id-reused': 409,
  'rate-limited': 429,
  unavailable: 503,
};

export interface HostileServer extends Running {
  /** Log entries at level error, which a hostile request must never cause (an unhandled error is one). */
  readonly errors: Record<string, unknown>[];
  readonly alice: { readonly user: { id: string; username: string }; readonly token: string };
  readonly bob: { readonly user: { id: string; username: string }; readonly token: string };
  /** The SQLite file behind it, for tests that need to reach into the store. */
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/** The whole server on a real socket, with two users who have exchanged a message, and a logger that keeps errors. */
export async function startHostileServer(): Promise<HostileServer> {
  const dir = tempDir();
  const errors: Record<string, unknown>[] = [];
  const databaseUrl = `sqlite:${join(dir.path, 'mc.sqlite')}`;
  const running = await startCenter({
    databaseUrl,
    logger: { info: () => {}, error: (entry) => errors.push(entry) },
  });
  const alice = await registerUser(running.base, 'alice');
  const bob = await registerUser(running.base, 'bob');
  return {
    ...running,
    errors,
    alice,
    bob,
    databaseUrl,
    async close() {
      await running.stop();
      dir.remove();
    },
  };
}

/** What a problem answer must be: problem+json, a documented type, its status in the body equal to the HTTP one. */
export function problemShapeError(status: number, contentType: string | null, text: string): string | undefined {
  if (!contentType?.startsWith('application/problem+json'))
    return `status ${status} without problem+json (${contentType}): ${text.slice(0, 200)}`;
  let body: { type?: unknown; status?: unknown; title?: unknown; detail?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `problem body is not JSON: ${text.slice(0, 200)}`;
  }
  const slug = typeof body.type === 'string' && body.type.startsWith('/problems/') ? body.type.slice('/problems/'.length) : undefined;
  if (slug === undefined || PROBLEM_STATUS[slug] !== status) return `undocumented problem type ${String(body.type)} for ${status}`;
  if (body.status !== status || typeof body.title !== 'string' || typeof body.detail !== 'string') return `malformed problem ${text}`;
  if (/\bat \S+:\d+:\d+|stack|SELECT |INSERT |sqlite|mysql/i.test(text)) return `problem leaks internals: ${text}`;
  return undefined;
}
