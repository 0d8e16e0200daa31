import { randomUUID } from 'node:crypto';

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * `REDIS_URL`, else a throwaway container when Docker answers, else nothing:
 * the caller then fails under CI=true and warns loudly otherwise.
 */
export async function findRedis(): Promise<RedisServer | undefined> {
  const fromEnvironment = process.env.REDIS_URL;
  if (fromEnvironment) return { url: fromEnvironment, stop: async () => {} };
  try {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7-alpine').start();
    return { url: container.getConnectionUrl(), stop: async () => void (await container.stop()) };
  } catch {
    return undefined;
  }
}

export function noRedis(): never | void {
  const message = 'adapters-redis: no Redis (set REDIS_URL or make Docker available); the Redis tests did NOT run';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n${'!'.repeat(100)}\n!! ${message}\n${'!'.repeat(100)}\n`);
}

/** A channel prefix of its own for each run, so parallel runs on one Redis never hear each other. */
export const aChannelPrefix = () => `message-center-test-${randomUUID()}`;
