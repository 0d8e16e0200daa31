import { request } from 'node:http';
import type { WebClient } from '../web-client.js';

export interface User {
  readonly username: string;
  readonly id: string;
  readonly token: string;
  /** The process its browser tab talks to; sends fail over to the other one. */
  readonly home: number;
  client: WebClient;
}

export interface Send {
  readonly phase: string;
  readonly sender: User;
  readonly recipient: User;
  readonly body: string;
  readonly clientId: string;
  attempts: number;
  /** Attempts whose connection was dropped after the request was written, before any answer. */
  dropped: number;
  acknowledged?: { id: string; status: number; at: number };
}

/** One attempt that got an HTTP answer. */
export interface Answer {
  readonly phase: string;
  readonly status: number;
  readonly startedAt: number;
  readonly ms: number;
}

export interface LoadStats {
  /** Slowest answer of any kind (2xx, 503, …); a send never waits longer than this. */
  slowestAnswerMs: number;
  /** Slowest 503: the contract bounds it at 2 s when the store does not answer. */
  slowest503Ms: number;
  unavailable: number;
  networkErrors: number;
  /** Attempts that got no answer at all within ATTEMPT_TIMEOUT_MS: a hang. */
  hung: number;
  /** Which round and process each hung attempt was in, and when it started. */
  hangs: string[];
  unexpected: string[];
}

/** Longer than any answer the contract allows; an attempt still waiting by then hangs. */
const ATTEMPT_TIMEOUT_MS = 8_000;
/** A send not acknowledged this long after the load stops is given up (and shows up as not acknowledged). */
const GIVE_UP_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Steady traffic: every user sends one message at a time to a random other
 * user, each with its own `clientId`, retrying on any failure with the same
 * `clientId` (on the other process every other attempt), until acknowledged;
 * and from time to time marks its latest received message of a peer read.
 */
export class Load {
  readonly sends: Send[] = [];
  readonly answers: Answer[] = [];
  readonly stats: LoadStats = { slowestAnswerMs: 0, slowest503Ms: 0, unavailable: 0, networkErrors: 0, hung: 0, hangs: [], unexpected: [] };
  private running = false;
  private stopAt = 0;
  private loops: Promise<void>[] = [];
  private serial = 0;
  private phase = '';
  /** The next this-many first attempts are cut right after the request is written. */
  dropNextAttempts = 0;

  constructor(
    private readonly users: readonly User[],
    private readonly bases: () => readonly string[],
    private readonly serverPorts: () => readonly number[],
    private readonly intervalMs: number,
  ) {}

  start(phase: string): void {
    this.phase = phase;
    this.running = true;
    this.loops = this.users.flatMap((user) => [this.sendLoop(user), this.readLoop(user)]);
  }

  /** Stops issuing new sends and waits for those under way to be acknowledged or given up. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopAt = Date.now();
    await Promise.all(this.loops);
  }

  private async sendLoop(user: User): Promise<void> {
    await sleep(Math.random() * this.intervalMs);
    while (this.running) {
      const others = this.users.filter((u) => u !== user);
      const recipient = others[Math.floor(Math.random() * others.length)] as User;
      const n = ++this.serial;
      const send: Send = {
        phase: this.phase,
        sender: user,
        recipient,
        body: `m${n} ${user.username}→${recipient.username}`,
        clientId: `c${n}`,
        attempts: 0,
        dropped: 0,
      };
      this.sends.push(send);
      await this.deliver(send);
      await sleep(this.intervalMs * (0.5 + Math.random()));
    }
  }

  private async deliver(send: Send): Promise<void> {
    for (;;) {
      if (!this.running && Date.now() - this.stopAt > GIVE_UP_MS) return;
      const attempt = send.attempts++;
      const target = (send.sender.home + attempt) % 2;
      if (attempt === 0 && this.dropNextAttempts > 0) {
        this.dropNextAttempts -= 1;
        send.dropped += 1;
        await this.writeThenDrop(send, target);
        continue;
      }
      const outcome = await this.post(send, target);
      if (outcome === 'done') return;
      await sleep(100 + Math.random() * 200 * Math.min(attempt + 1, 5));
    }
  }

  private async post(send: Send, target: number): Promise<'done' | 'retry'> {
    const started = Date.now();
    let response: Response;
    try {
      response = await fetch(`${this.bases()[target]}/api/v1/messages`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${send.sender.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ recipient: send.recipient.username, body: send.body, clientId: send.clientId }),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        this.stats.hung += 1;
        this.stats.hangs.push(`${send.phase}: ${send.clientId} to process ${'AB'[target]} at ${new Date(started).toISOString()}`);
      } else this.stats.networkErrors += 1;
      return 'retry';
    }
    const ms = Date.now() - started;
    this.answers.push({ phase: send.phase, status: response.status, startedAt: started, ms });
    this.stats.slowestAnswerMs = Math.max(this.stats.slowestAnswerMs, ms);
    const text = await response.text().catch(() => '');
    if (response.status === 200 || response.status === 201) {
      const { id } = JSON.parse(text) as { id: string };
      send.acknowledged = { id, status: response.status, at: Date.now() };
      return 'done';
    }
    if (response.status === 503) {
      this.stats.unavailable += 1;
      this.stats.slowest503Ms = Math.max(this.stats.slowest503Ms, ms);
      return 'retry';
    }
    if (response.status === 429) return 'retry';
    this.stats.unexpected.push(`${response.status} ${text.slice(0, 200)}`);
    return 'retry';
  }

  /** The request reaches the server whole; the connection is gone before the answer: the client cannot know what happened. */
  private writeThenDrop(send: Send, target: number): Promise<void> {
    return new Promise((resolve) => {
      const body = JSON.stringify({ recipient: send.recipient.username, body: send.body, clientId: send.clientId });
      const req = request({
        host: '127.0.0.1',
        port: this.serverPorts()[target],
        method: 'POST',
        path: '/api/v1/messages',
        headers: {
          Authorization: `Bearer ${send.sender.token}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
        },
      });
      req.on('error', () => resolve());
      req.on('response', (res) => {
        res.destroy();
        resolve();
      });
      req.on('finish', () => {
        // Somewhere between "the server has just read it" and "the answer is on its way", vanish.
        setTimeout(() => {
          req.destroy();
          resolve();
        }, Math.random() * 2_000);
      });
      req.end(body);
    });
  }

  private async readLoop(user: User): Promise<void> {
    while (this.running) {
      await sleep(800 + Math.random() * 800);
      if (!this.running) return;
      const fromOthers = [...user.client.messages.values()].filter((m) => m.sender !== user.username);
      const peer = fromOthers[Math.floor(Math.random() * fromOthers.length)]?.sender;
      if (!peer) continue;
      const lastReadId = fromOthers
        .filter((m) => m.sender === peer)
        .map((m) => m.id)
        .reduce((a, b) => (BigInt(a) > BigInt(b) ? a : b));
      await fetch(`${this.bases()[user.home]}/api/v1/conversations/${peer}/read`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ lastReadId }),
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      }).then(
        (response) => response.body?.cancel(),
        () => {},
      );
    }
  }
}
