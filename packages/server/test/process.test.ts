import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from './support.js';

/** The built CLI, exactly what `npm start` runs. */
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

const children: ChildProcess[] = [];
const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) dir.remove();
});

/** The environment of a test run, minus anything that would point the server at shared services. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string>, cwd: string, stdin?: string) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  if (stdin !== undefined) child.stdin?.end(stdin);
  else child.stdin?.end();
  let signalledAt = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: signalledAt ? Date.now() - signalledAt : 0 })),
  );
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    signal(name: NodeJS.Signals) {
      signalledAt = Date.now();
      child.kill(name);
    },
  };
}

async function serve(env: Record<string, string> = {}) {
  const dir = tempDir();
  dirs.push(dir);
  const proc = run(['serve'], { PORT: '0', HOST: '127.0.0.1', ...env }, dir.path);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(proc.stdout());
    if (match?.[1]) return { ...proc, url: match[1], dir: dir.path };
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server did not start: ${proc.stdout()} ${proc.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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
  }, 120_000);
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
