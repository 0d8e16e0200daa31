import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLI, runCli, startServe } from './cli-process.js';
import { tempDir } from './support.js';

const children: ChildProcess[] = [];
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) dir.remove();
});

function run(args: string[], env: Record<string, string>, cwd: string, stdin?: string) {
  const proc = runCli(args, env, cwd, stdin);
  children.push(proc.child);
  return proc;
}

async function serve(env: Record<string, string> = {}) {
  const dir = tempDir();
  dirs.push(dir);
  const proc = await startServe(env, dir.path);
  children.push(proc.child);
  return { ...proc, dir: dir.path };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the message-center process', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (CI builds before testing)`);
  });

  it('serves on the embedded SQLite file under ./data, answers /healthz, and exits cleanly within 5 s of SIGTERM', async () => {
    const server = await serve();
    expect(server.stdout()).toMatch(/^Message Center listening on http:\/\/127\.0\.0\.1:\d+$/m);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(existsSync(join(server.dir, 'data', 'message-center.sqlite'))).toBe(true);
    expect((await fetch(`${server.url}/`)).status).toBe(200);

    const registered = await fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
    });
    expect(registered.status).toBe(201);
    const { token } = (await registered.json()) as { token: string };
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/ws`, { headers: { Authorization: `Bearer ${token}` } });
    await new Promise((resolve, reject) => {
      socket.once('message', resolve);
      socket.once('error', reject);
    });
    const socketClosed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

    server.signal('SIGTERM');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(5_000);
    expect(await socketClosed).toBe(1001);
  });

  it('exits on SIGINT too', async () => {
    const server = await serve();
    server.signal('SIGINT');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(5_000);
  });

  it('answers 503 unavailable when the database does not answer, and still shuts down cleanly', async () => {
    const port = await closedPort();
    const server = await serve({ DATABASE_URL: `mysql://root@127.0.0.1:${port}/nowhere?connectTimeout=500` });
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await health.json()).toMatchObject({ type: '/problems/unavailable', status: 503 });
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(503);
    expect(await login.text()).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    server.signal('SIGTERM');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(5_000);
  });

  it.each([
    ['MESSAGES_TO_LOAD', 'abc'],
    ['PORT', 'http'],
    ['ALLOW_REGISTRATION', 'perhaps'],
  ])('refuses %s=%s with a one-line error naming it and exit code 2', async (name, value) => {
    const dir = tempDir();
    dirs.push(dir);
    const proc = run(['serve'], { [name]: value }, dir.path);
    const exit = await proc.exited;
    expect(exit.code).toBe(2);
    const lines = proc.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(existsSync(join(dir.path, 'data'))).toBe(false);
  });

  it('answers usage errors with exit code 2', async () => {
    const dir = tempDir();
    dirs.push(dir);
    for (const args of [[], ['frobnicate'], ['create-user'], ['create-user', 'alice', 'hunter2hunter2']]) {
      const proc = run(args, {}, dir.path);
      expect((await proc.exited).code, args.join(' ')).toBe(2);
    }
  });

  // Seven processes, three of them hashing at OWASP cost: slow on a loaded machine.
  it('migrate, create-user and set-password work from the command line, passwords on stdin', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const migrate = run(['migrate'], {}, dir.path);
    expect((await migrate.exited).code).toBe(0);
    expect(migrate.stdout()).toMatch(/applied: 0001/);
    const again = run(['migrate'], {}, dir.path);
    expect((await again.exited).code).toBe(0);
    expect(again.stdout()).toMatch(/up to date/);

    const create = run(['create-user', 'alice'], { ALLOW_REGISTRATION: 'false' }, dir.path, 'correct horse battery\n');
    expect((await create.exited).code).toBe(0);
    expect(create.stdout()).toMatch(/created user alice/);
    const weak = run(['create-user', 'bob'], {}, dir.path, 'short\n');
    expect((await weak.exited).code).toBe(1);
    expect(weak.stderr()).toMatch(/password/);

    // A served process sees the user; set-password ends the session it had.
    const server = await serveIn(dir.path);
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse battery' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const reset = run(['set-password', 'alice'], {}, dir.path, 'a brand new password\n');
    expect((await reset.exited).code).toBe(0);
    const me = await fetch(`${server.url}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(401);
    const missing = run(['set-password', 'nobody'], {}, dir.path, 'a brand new password\n');
    expect((await missing.exited).code).toBe(1);
    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);
    // Nine processes, each hashing at production cost: minutes on a loaded two-core machine.
  }, 120_000);
});

describe('message-center set-email', () => {
  it('sets, refuses and removes an address from standard input, and the server mails that address', async () => {
    const dir = tempDir();
    dirs.push(dir);
    expect((await run(['create-user', 'carol'], {}, dir.path, 'correct horse battery\n').exited).code).toBe(0);
    expect((await run(['create-user', 'dave'], {}, dir.path, 'correct horse battery\n').exited).code).toBe(0);

    const set = run(['set-email', 'CAROL'], {}, dir.path, 'Carol@Example.com\n');
    expect((await set.exited).code).toBe(0);
    expect(set.stdout()).toBe('email of CAROL set to Carol@Example.com\n');
    const taken = run(['set-email', 'dave'], {}, dir.path, 'carol@example.COM\n');
    expect((await taken.exited).code).toBe(1);
    expect(taken.stderr()).toMatch(/another user has the email/);
    const malformed = run(['set-email', 'dave'], {}, dir.path, 'not an address\n');
    expect((await malformed.exited).code).toBe(1);
    expect(malformed.stderr()).toMatch(/^email must be an email address/);
    const nobody = run(['set-email', 'nobody'], {}, dir.path, 'n@example.com\n');
    expect((await nobody.exited).code).toBe(1);
    expect(nobody.stderr()).toMatch(/no user named nobody/);
    const noArgument = run(['set-email'], {}, dir.path, '');
    expect((await noArgument.exited).code).toBe(2);

    // With no SMTP_URL the server prints the mail, to the address set above.
    const server = await serveIn(dir.path);
    expect(server.stderr()).toMatch(/warning: SMTP_URL is not set/);
    const asked = await fetch(`${server.url}/api/v1/auth/password-reset`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'carol@example.com' }),
    });
    expect(asked.status).toBe(202);
    await expect.poll(() => server.stdout(), { timeout: 10_000 }).toMatch(/To: Carol@Example\.com[\s\S]*#reset=[A-Za-z0-9_-]{43}/);
    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);

    const removed = run(['set-email', 'carol'], {}, dir.path, '\n');
    expect((await removed.exited).code).toBe(0);
    expect(removed.stdout()).toBe('email of carol removed\n');
    expect((await run(['set-email', 'dave'], {}, dir.path, 'carol@example.com').exited).code).toBe(0);
  }, 90_000);
});

async function serveIn(cwd: string) {
  const proc = run(['serve'], { PORT: '0', HOST: '127.0.0.1' }, cwd);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(proc.stdout());
    if (match?.[1]) return { ...proc, url: match[1] };
    if (proc.child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start: ${proc.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
