import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../src/config.js';

describe('configuration from the environment', () => {
  it('has the defaults of API.md', () => {
    expect(loadConfig({})).toEqual({
      port: 8000,
      host: '127.0.0.1',
      databaseUrl: DEFAULT_DATABASE_URL,
      redisUrl: undefined,
      messagesToLoad: 15,
      maxMessageLength: 5000,
      allowedOrigins: [],
      allowRegistration: true,
      sessionTtlHours: 336,
      publicUrl: 'http://127.0.0.1:8000',
      smtpUrl: undefined,
      mailFrom: 'Message Center <no-reply@localhost>',
      redisChannelPrefix: undefined,
      overloadMaxDelayMs: 100,
      overloadMaxInFlight: 32,
      workers: 1,
      presenceGraceMs: 10_000,
      maxConnectionsPerUser: 20,
      wsFrameRate: 20,
      limits: {
        messageRate: 10,
        registrationRate: 20,
        loginFailuresPerAddress: 100,
        wrongPasswordsPerUser: 10,
        passwordResetsPerEmail: 5,
        passwordResetsPerAddress: 20,
      },
      passwordHashing: { concurrency: availableParallelism(), maxWaiting: 64 },
      trustProxy: [],
    });
  });

  it('builds the default PUBLIC_URL from HOST and PORT', () => {
    expect(loadConfig({ HOST: '::1', PORT: '9000' }).publicUrl).toBe('http://[::1]:9000');
    expect(loadConfig({ PUBLIC_URL: 'https://chat.example/app/' }).publicUrl).toBe('https://chat.example/app');
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'mysql://mc:secret@db:3306/mc',
      REDIS_URL: 'redis://cache:6379',
      MESSAGES_TO_LOAD: '30',
      MAX_MESSAGE_LENGTH: '200',
      ALLOWED_ORIGINS: 'https://a.example, https://B.example:443/',
      ALLOW_REGISTRATION: 'false',
      SESSION_TTL_HOURS: '1.5',
      PUBLIC_URL: 'https://chat.example.com',
      SMTP_URL: 'smtps://mc:pw@mail.example.com:465',
      MAIL_FROM: 'Chat <chat@example.com>',
      REDIS_CHANNEL_PREFIX: 'staging',
      OVERLOAD_MAX_DELAY_MS: '0',
      OVERLOAD_MAX_IN_FLIGHT: '64',
      WORKERS: '4',
      PRESENCE_GRACE_MS: '1500',
      MAX_CONNECTIONS_PER_USER: '0',
      WS_FRAME_RATE: '100',
      MESSAGE_RATE: '0',
      REGISTRATION_RATE: '1000000',
      LOGIN_FAILURES_PER_ADDRESS: '50',
      WRONG_PASSWORDS_PER_USER: '3',
      PASSWORD_RESETS_PER_EMAIL: '2',
      PASSWORD_RESETS_PER_ADDRESS: '0',
      PASSWORD_HASH_CONCURRENCY: '1',
      PASSWORD_HASH_QUEUE: '0',
      TRUST_PROXY: '10.0.0.2, ::1',
    });
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      databaseUrl: 'mysql://mc:secret@db:3306/mc',
      redisUrl: 'redis://cache:6379',
      messagesToLoad: 30,
      maxMessageLength: 200,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      allowRegistration: false,
      sessionTtlHours: 1.5,
      publicUrl: 'https://chat.example.com',
      smtpUrl: 'smtps://mc:pw@mail.example.com:465',
      mailFrom: 'Chat <chat@example.com>',
      redisChannelPrefix: 'staging',
      overloadMaxDelayMs: 0,
      overloadMaxInFlight: 64,
      workers: 4,
      presenceGraceMs: 1500,
      maxConnectionsPerUser: 0,
      wsFrameRate: 100,
      limits: {
        messageRate: 0,
        registrationRate: 1_000_000,
        loginFailuresPerAddress: 50,
        wrongPasswordsPerUser: 3,
        passwordResetsPerEmail: 2,
        passwordResetsPerAddress: 0,
      },
      passwordHashing: { concurrency: 1, maxWaiting: 0 },
      trustProxy: ['10.0.0.2', '::1'],
    });
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MESSAGES_TO_LOAD', 'abc'],
    ['MESSAGES_TO_LOAD', '0'],
    ['MESSAGES_TO_LOAD', '-5'],
    ['MESSAGES_TO_LOAD', '101'],
    ['MAX_MESSAGE_LENGTH', '1e3'],
    ['ALLOW_REGISTRATION', 'maybe'],
    ['SESSION_TTL_HOURS', '0'],
    ['SESSION_TTL_HOURS', 'forever'],
    ['ALLOWED_ORIGINS', 'not an origin'],
    ['ALLOWED_ORIGINS', 'ftp://files.example'],
    ['DATABASE_URL', 'postgres://x@y/z'],
    ['REDIS_URL', 'localhost:6379'],
    ['PUBLIC_URL', 'chat.example.com'],
    ['PUBLIC_URL', 'ftp://chat.example.com'],
    ['PUBLIC_URL', 'https://chat.example.com/#x'],
    ['SMTP_URL', 'mail.example.com:587'],
    ['SMTP_URL', 'http://mail.example.com'],
    ['PRESENCE_GRACE_MS', '10s'],
    ['MAX_CONNECTIONS_PER_USER', '-1'],
    ['WS_FRAME_RATE', '2.5'],
    ['MESSAGE_RATE', '-1'],
    ['MESSAGE_RATE', '2.5'],
    ['REGISTRATION_RATE', 'lots'],
    ['LOGIN_FAILURES_PER_ADDRESS', '1e9'],
    ['WRONG_PASSWORDS_PER_USER', 'ten'],
    ['PASSWORD_RESETS_PER_EMAIL', '-5'],
    ['PASSWORD_RESETS_PER_ADDRESS', '20/h'],
    ['PASSWORD_HASH_CONCURRENCY', 'all'],
    ['PASSWORD_HASH_QUEUE', '-1'],
    ['TRUST_PROXY', 'proxy.internal'],
    ['TRUST_PROXY', '10.0.0.0/8'],
  ])('refuses %s=%s with an error naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(name);
    expect((error as ConfigError).message).toMatch(new RegExp(`^${name} `));
    expect((error as ConfigError).message).not.toContain('\n');
  });

  it('never echoes a database URL, which may hold a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'pg://user:hunter2@db/x' })).toThrow(/^(?!.*hunter2)/);
    expect(() => loadConfig({ SMTP_URL: 'imap://user:hunter2@mail/x' })).toThrow(/^(?!.*hunter2)/);
  });
});
