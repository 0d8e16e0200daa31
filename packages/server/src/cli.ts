#!/usr/bin/env node
import cluster from 'node:cluster';
import { StoreUnavailable } from '@message-center/core';
import { ConfigError, loadConfig, MAX_WORKERS } from './config.js';
import { PasswordMismatch } from './password-input.js';

const USAGE = `usage: message-center <command>

  serve [--workers N]       start the server (see the environment variables in the README);
                            N processes share the port (WORKERS; above 1 needs REDIS_URL)
  migrate                   create or update the database schema
  create-user <username>    add a user; the password is read from a prompt or standard input
  set-password <username>   replace a user's password and end every session of the user
  set-email <username>      set the address password-reset links go to, read from a prompt or standard input
                            (an empty line removes it)
`;

/** Exit codes: 0 done, 1 failed or refused, 2 bad configuration or usage. */
async function main(argv: readonly string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const config = loadConfig(process.env);
  switch (command) {
    case 'serve': {
      const workers = workersFlag(rest);
      if (workers === 'bad') return usage('serve takes only --workers N (N from 1 to 64)');
      const served = workers === undefined ? config : { ...config, workers };
      // Loaded only when needed, so a configuration error is reported at once.
      const { checkWorkers, serveWorkers } = await import('./commands/workers.js');
      checkWorkers(served);
      if (served.workers > 1 && cluster.isPrimary) serveWorkers(served);
      else await (await import('./commands/serve.js')).serveCommand(served);
      return undefined; // Runs until a signal.
    }
    case 'migrate':
      if (rest.length > 0) return usage(`migrate takes no arguments`);
      return (await import('./commands/admin.js')).migrateCommand(config, io);
    case 'create-user':
    case 'set-password':
    case 'set-email': {
      const [username, ...extra] = rest;
      if (username === undefined || extra.length > 0)
        return usage(
          `${command} takes one argument, the username (the ${command === 'set-email' ? 'address' : 'password'} is read, never an argument)`,
        );
      const admin = await import('./commands/admin.js');
      if (command === 'set-email') return admin.setEmailCommand(config, io, username);
      return command === 'create-user' ? admin.createUserCommand(config, io, username) : admin.setPasswordCommand(config, io, username);
    }
    default:
      return usage(`unknown command: ${command}`);
  }
}

/** `--workers N` (or `--workers=N`), the only option of `serve`; it overrides `WORKERS`. */
function workersFlag(args: readonly string[]): number | undefined | 'bad' {
  if (args.length === 0) return undefined;
  const [first, second, ...extra] = args;
  const value = first?.startsWith('--workers=') ? first.slice('--workers='.length) : first === '--workers' ? second : undefined;
  if (value === undefined || extra.length > 0 || (first?.startsWith('--workers=') && second !== undefined)) return 'bad';
  const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_WORKERS ? n : 'bad';
}

function usage(problem: string): number {
  process.stderr.write(`message-center: ${problem}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`message-center: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    if (error instanceof PasswordMismatch) {
      process.stderr.write(`message-center: ${error.message}\n`);
      process.exit(1);
    }
    const unavailable = error instanceof Error && error.name === 'StoreUnavailable';
    process.stderr.write(`message-center: ${unavailable ? 'the database or Redis cannot be reached' : 'failed'}: ${describe(error)}\n`);
    process.exit(1);
  },
);

function describe(error: unknown): string {
  if (error instanceof StoreUnavailable) return error.message;
  return error instanceof Error ? error.message : String(error);
}
