import { migrate, openDatabase } from '@message-center/adapters-mysql';
import type { Issue } from '@message-center/core';
import type { ServerConfig } from '../config.js';
import { createMessageCenter, type MessageCenter } from '../message-center.js';
import { type PasswordSource, readPassword } from '../password-input.js';
import { coreConfigOf } from './core-config.js';

export interface CommandIo extends PasswordSource {
  readonly stdout: NodeJS.WriteStream;
}

/** Exit codes: 0 done, 1 refused (bad password, taken name, no such user). */
export async function migrateCommand(config: ServerConfig, io: CommandIo): Promise<number> {
  const database = openDatabase(config.databaseUrl);
  try {
    const outcome = await migrate(database.db);
    const applied = outcome.results?.map((r) => r.migrationName) ?? [];
    io.stdout.write(applied.length > 0 ? `applied: ${applied.join(', ')}\n` : 'schema already up to date\n');
    return 0;
  } finally {
    await database.close();
  }
}

export async function createUserCommand(config: ServerConfig, io: CommandIo, username: string): Promise<number> {
  const password = await readPassword(io);
  return withCenter(config, async (center) => {
    const result = await center.useCases.createUser.execute({ username, password });
    if (result.ok) {
      io.stdout.write(`created user ${result.value.username} (id ${result.value.id})\n`);
      return 0;
    }
    const { error } = result;
    io.stderr.write(error.kind === 'username-taken' ? `username ${username} is taken\n` : describeIssues(error.issues));
    return 1;
  });
}

/** The administrator's answer to a forgotten password: every session of the user ends, sockets included when REDIS_URL is set. */
export async function setPasswordCommand(config: ServerConfig, io: CommandIo, username: string): Promise<number> {
  const password = await readPassword(io);
  return withCenter(config, async (center) => {
    const result = await center.useCases.setPassword.execute({ username, password });
    if (result.ok) {
      io.stdout.write(`password of ${username} changed; every session of the user has ended\n`);
      return 0;
    }
    const { error } = result;
    io.stderr.write(error.kind === 'user-not-found' ? `no user named ${username}\n` : describeIssues(error.issues));
    return 1;
  });
}

async function withCenter(config: ServerConfig, work: (center: MessageCenter) => Promise<number>): Promise<number> {
  const center = await createMessageCenter({
    databaseUrl: config.databaseUrl,
    redisUrl: config.redisUrl,
    config: coreConfigOf(config),
    webRoot: false,
    sweepIntervalMs: 0,
    logger: { info: () => {}, error: (entry) => process.stderr.write(`${JSON.stringify(entry)}\n`) },
  });
  try {
    return await work(center);
  } finally {
    await center.close();
  }
}

function describeIssues(issues: readonly Issue[]): string {
  return issues.map((issue) => `${issue.path} ${issue.message}\n`).join('');
}
