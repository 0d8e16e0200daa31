import { WebSocket } from 'ws';
import { sleep } from './stats.js';
import type { Target } from './targets.js';

/** A signed-up user with one open WebSocket, told which message ids its socket has announced. */
export class Participant {
  private readonly seen = new Set<string>();
  private readonly waiting = new Map<string, () => void>();

  private constructor(
    readonly username: string,
    readonly token: string,
    readonly socket: WebSocket,
  ) {
    socket.on('message', (data) => {
      const text = data.toString();
      // Cheap filter before parsing: only message.created frames matter here.
      if (!text.includes('"message.created"')) return;
      const frame = JSON.parse(text) as { type: string; id: string; sender: string };
      // The sender's own copy of the frame is not what is measured.
      if (frame.sender === this.username) return;
      const resolve = this.waiting.get(frame.id);
      if (resolve) {
        this.waiting.delete(frame.id);
        resolve();
      } else this.seen.add(frame.id);
    });
  }

  static async join(target: Target, username: string, token: string): Promise<Participant> {
    return new Participant(username, token, await openSocketPatiently(target.port, token));
  }

  /** Resolves true when this user's socket has announced the message, false after `timeoutMs`. */
  notified(id: string, timeoutMs: number): Promise<boolean> {
    if (this.seen.delete(id)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(false);
      }, timeoutMs);
      this.waiting.set(id, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  close(): void {
    this.socket.terminate();
  }
}

/** A server busy starting or shedding load may refuse the handshake with 503: a client waits a second and tries again. */
export async function openSocketPatiently(port: number, token: string): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openSocket(port, token);
    } catch (error) {
      if (attempt >= 20 || !String(error).includes('503')) throw error;
      await sleep(1_000);
    }
  }
}

/** Opens an authenticated socket and waits for its `ready` frame. */
export function openSocket(port: number, token: string, timeoutMs = 30_000): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, {
      headers: { authorization: `Bearer ${token}` },
      perMessageDeflate: false,
    });
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('no ready frame'));
    }, timeoutMs);
    socket.once('message', (data) => {
      clearTimeout(timer);
      if (data.toString().includes('"ready"')) resolve(socket);
      else reject(new Error(`unexpected first frame ${data.toString()}`));
    });
    socket.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`handshake refused: ${res.statusCode}`));
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

const OPENING_AT_ONCE = 64;

/**
 * `count` authenticated sockets, their users' tokens taken in turn, 64
 * handshakes at a time. With `skipRefused`, a refused or failed handshake is
 * left out (the caller then counts what is open); otherwise it fails the lot.
 * Past `deadline` (a `performance.now()` time) no more are opened.
 */
export async function openMany(
  port: number,
  tokens: readonly string[],
  count: number,
  { deadline = Number.POSITIVE_INFINITY, skipRefused = false } = {},
): Promise<WebSocket[]> {
  const sockets: (WebSocket | undefined)[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(OPENING_AT_ONCE, count) }, async () => {
      while (next < count && performance.now() < deadline) {
        const opening = openSocketPatiently(port, tokens[next++ % tokens.length] as string);
        sockets.push(await (skipRefused ? opening.catch(() => undefined) : opening));
      }
    }),
  );
  return sockets.filter((socket): socket is WebSocket => socket !== undefined);
}

export interface Pair {
  readonly sender: Participant;
  readonly recipient: Participant;
}

/** `count` sender/recipient pairs, each user with its own socket. */
export async function pairs(target: Target, count: number, tag: string): Promise<Pair[]> {
  const names = Array.from({ length: count }, (_, i) => [`s${tag}${i}`, `r${tag}${i}`] as const);
  const tokens = await target.signUp(names.flat());
  return Promise.all(
    names.map(async ([sender, recipient], i) => ({
      sender: await Participant.join(target, sender, tokens[2 * i] as string),
      recipient: await Participant.join(target, recipient, tokens[2 * i + 1] as string),
    })),
  );
}

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly ms: number; readonly postMs: number }
  | { readonly kind: 'refused'; readonly status: number; readonly ms: number; readonly retryAfter: boolean }
  | { readonly kind: 'lost'; readonly reason: 'not-notified' | 'missing'; readonly ms: number }
  | { readonly kind: 'failed'; readonly reason: string; readonly ms: number };

const NOTIFY_TIMEOUT_MS = 5_000;
/** How long a recipient keeps asking for a message whose GET was shed before it counts as failed. */
const GET_RETRY_BUDGET_MS = 15_000;

/**
 * One delivered message as a user sees it: the sender's POST, the
 * recipient's `message.created` frame, the recipient's GET of it. Timed from
 * `startedAt` (the scheduled time in an open loop, so queueing counts).
 */
export async function deliverOne(target: Target, pair: Pair, startedAt: number, body: string): Promise<DeliveryOutcome> {
  let posted: Awaited<ReturnType<Target['http']['send']>>;
  try {
    posted = await target.http.send('POST', '/api/v1/messages', pair.sender.token, { recipient: pair.recipient.username, body });
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : 'network', ms: performance.now() - startedAt };
  }
  const postMs = performance.now() - startedAt;
  if (posted.status !== 201) return { kind: 'refused', status: posted.status, ms: postMs, retryAfter: posted.retryAfter !== undefined };
  const { id } = JSON.parse(posted.body) as { id: string };
  if (!(await pair.recipient.notified(id, NOTIFY_TIMEOUT_MS)))
    return { kind: 'lost', reason: 'not-notified', ms: performance.now() - startedAt };
  try {
    const status = await fetchAsRecipient(target, pair, id, startedAt);
    if (status === 404) return { kind: 'lost', reason: 'missing', ms: performance.now() - startedAt };
    if (status !== 200) return { kind: 'failed', reason: `GET ${status}`, ms: performance.now() - startedAt };
  } catch (error) {
    return { kind: 'failed', reason: error instanceof Error ? error.message : 'network', ms: performance.now() - startedAt };
  }
  return { kind: 'delivered', ms: performance.now() - startedAt, postMs };
}

/** A stored message is not lost when an overloaded server sheds its GET: a client waits as `Retry-After` says, and asks again. */
async function fetchAsRecipient(target: Target, pair: Pair, id: string, startedAt: number): Promise<number> {
  for (;;) {
    const got = await target.http.send('GET', `/api/v1/messages/${id}`, pair.recipient.token);
    const shed = got.status === 503 || got.status === 429;
    if (!shed || performance.now() - startedAt > GET_RETRY_BUDGET_MS) return got.status;
    await sleep(Math.max(50, Number(got.retryAfter ?? 1) * 1000));
  }
}
