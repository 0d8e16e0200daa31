import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI, exactly what `npm start` runs. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds from the last `signal()` to the exit; 0 when it exited unasked. */
  readonly ms: number;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** Both streams, in the order they arrived. */
  output(): string;
  signal(name: NodeJS.Signals): void;
}

export interface ServeProcess extends CliProcess {
  readonly url: string;
}

/**
 * `message-center <args>` as a child process, with only the environment
 * given (nothing inherited that could point it at shared services), and the
 * given standard input, closed after it.
 */
export function runCli(args: readonly string[], env: Record<string, string>, cwd: string, stdin = ''): CliProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (CI builds before testing)`);
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout?.on('data', (d) => {
    stdout += String(d);
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    stderr += String(d);
    output += String(d);
  });
  child.stdin?.end(stdin);
  let signalledAt = 0;
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: signalledAt ? Date.now() - signalledAt : 0 })),
  );
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    signal(name) {
      signalledAt = Date.now();
      child.kill(name);
    },
  };
}

/**
 * `message-center serve [args]` on a port of its own choosing on loopback,
 * resolved once it says where it listens.
 */
export async function startServe(
  env: Record<string, string>,
  cwd: string,
  { args = [], timeoutMs = 20_000 }: { args?: readonly string[]; timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const proc = runCli(['serve', ...args], { PORT: '0', HOST: '127.0.0.1', ...env }, cwd);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(proc.stdout());
    if (match?.[1]) return { ...proc, url: match[1] };
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      proc.child.kill('SIGKILL');
      throw new Error(`server did not start: ${proc.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
