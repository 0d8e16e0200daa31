import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { runCli } from './cli-process.js';

const mysqlUrl = process.env.MYSQL_URL;
const redisUrl = process.env.REDIS_URL_FOR_TESTS ?? process.env.REDIS_URL;
const database = `mc_workers_${randomUUID().slice(0, 8)}`;

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  if (mysqlUrl) {
    const c = await createConnection(mysqlUrl);
    await c.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await c.end();
  }
});

function start(env: Record<string, string>, args: string[] = []) {
  const proc = runCli(['serve', ...args], { HOST: '127.0.0.1', PORT: '0', ...env }, tmpdir());
  children.push(proc.child);
  return proc;
}

/** Which process holds the server end of a client socket: /proc maps the connection to a socket inode, the inode to a process. */
function processHolding(clientPort: number, serverPort: number, candidates: readonly number[]): number | undefined {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const line = readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .find((f) => f[1]?.endsWith(`:${hex(serverPort)}`) && f[2]?.endsWith(`:${hex(clientPort)}`));
  const inode = line?.[9];
  if (!inode) return undefined;
  return candidates.find((pid) => {
    try {
      return readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`);
    } catch {
      return false;
    }
  });
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function json(url: string, init: RequestInit & { token?: string; body?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    // A new connection each time, so the cluster hands each request to a process in turn.
    keepalive: false,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('WORKERS: several processes on one port', () => {
  it('refuses WORKERS above 1 without REDIS_URL, with a one-line error naming it and exit code 2', async () => {
    const proc = start({ WORKERS: '2' });
    expect((await proc.exited).code).toBe(2);
    expect(proc.stderr()).toMatch(/configuration error: WORKERS above 1 needs REDIS_URL/);
    const flag = start({}, ['--workers', '3']);
    expect((await flag.exited).code).toBe(2);
    expect(flag.stderr()).toMatch(/WORKERS above 1 needs REDIS_URL/);
  });

  it.skipIf(!mysqlUrl || !redisUrl)(
    'delivers a message posted to one process to a user connected to another, and stops them all on SIGTERM',
    async () => {
      const c = await createConnection(mysqlUrl as string);
      await c.query(`CREATE DATABASE \`${database}\``);
      await c.end();
      const proc = start({
        DATABASE_URL: `${(mysqlUrl as string).replace(/\/$/, '')}/${database}`,
        REDIS_URL: redisUrl as string,
        REDIS_CHANNEL_PREFIX: database,
        WORKERS: '2',
      });
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (!url) {
        url = /listening on (http:\/\/\S+) \(2 processes\)/.exec(proc.stdout())?.[1];
        if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start: ${proc.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const port = Number(new URL(url).port);
      const workers = childrenOf(proc.child.pid as number);
      expect(workers).toHaveLength(2);

      const alice = await json(`${url}/api/v1/auth/register`, {
        method: 'POST',
        body: JSON.stringify({ username: 'alice', password: 'alice password' }),
      });
      const bob = await json(`${url}/api/v1/auth/register`, {
        method: 'POST',
        body: JSON.stringify({ username: 'bob', password: 'bob password 1' }),
      });
      expect([alice.status, bob.status]).toEqual([201, 201]);

      // Bob's sockets, until both processes hold at least one of them (the cluster takes turns, so two usually do).
      const sockets: Array<{ socket: WebSocket; pid: number | undefined; ids: string[] }> = [];
      while (new Set(sockets.map((s) => s.pid)).size < 2 && sockets.length < 10) {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`, { headers: { authorization: `Bearer ${bob.body.token}` } });
        const entry = { socket, pid: undefined as number | undefined, ids: [] as string[] };
        socket.on('message', (data) => {
          const frame = JSON.parse(String(data)) as { type: string; id?: string };
          if (frame.type === 'message.created' && frame.id) entry.ids.push(frame.id);
        });
        let localPort = 0;
        socket.once('upgrade', (response) => {
          localPort = response.socket.localPort ?? 0;
        });
        await new Promise((resolve, reject) => {
          socket.once('open', resolve);
          socket.once('error', reject);
        });
        entry.pid = processHolding(localPort, port, workers);
        sockets.push(entry);
      }
      expect(new Set(sockets.map((s) => s.pid))).toEqual(new Set(workers));

      // Each POST on a new connection: whichever process takes it, bob has a socket on the other one.
      const sent: string[] = [];
      for (let i = 0; i < 4; i++) {
        const posted = await json(`${url}/api/v1/messages`, {
          method: 'POST',
          token: alice.body.token as string,
          body: JSON.stringify({ recipient: 'bob', body: `hello ${i}` }),
        });
        expect(posted.status).toBe(201);
        sent.push(posted.body.id as string);
      }
      const until = Date.now() + 10_000;
      while (sockets.some((s) => s.ids.length < sent.length) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
      for (const s of sockets) expect(s.ids.sort()).toEqual([...sent].sort());

      // Graceful: every socket is told 1001, every process exits, the primary with 0.
      const closes = sockets.map((s) => new Promise<number>((resolve) => s.socket.once('close', (code) => resolve(code))));
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
      expect(await Promise.all(closes)).toEqual(sockets.map(() => 1001));
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
    },
    90_000,
  );
});
