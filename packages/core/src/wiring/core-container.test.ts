import type { ServiceIdentifier } from 'inversify';
import { describe, expect, it } from 'vitest';
import { ScryptPasswordHasher, TEST_SCRYPT_COST } from '../crypto/scrypt-password-hasher.js';
import { inMemoryPorts } from '../memory/in-memory-ports.js';
import type { Notification } from '../notifications/events.js';
import { USE_CASES } from './container-module.js';
import { createCoreContainer, createUseCasesFrom } from './core-container.js';
import type { CorePorts } from './core-ports.js';
import { PORT_TOKENS, PORTS } from './tokens.js';

describe('core container', () => {
  it('binds the given ports and resolves use cases that work end to end', async () => {
    const delivered: Notification[] = [];
    const ports = inMemoryPorts({ hasher: new ScryptPasswordHasher(TEST_SCRYPT_COST), delivery: { deliver: (n) => delivered.push(n) } });
    const useCases = createUseCasesFrom(ports);

    const alice = await useCases.registerUser.execute({ username: 'alice', password: 'correct horse', clientAddress: '198.51.100.1' });
    const bob = await useCases.registerUser.execute({ username: 'bob', password: 'battery staple', clientAddress: '198.51.100.1' });
    if (!alice.ok || !bob.ok) throw new Error('registration failed');
    const sent = await useCases.sendMessage.execute({ sender: alice.value.user, recipient: 'bob', body: 'hi' });

    expect(sent.ok).toBe(true);
    expect(delivered).toHaveLength(1);
    const auth = await useCases.authenticate.execute({ token: bob.value.token });
    expect(auth.ok && auth.value.user.username).toBe('bob');
  });

  it('hands out the very port objects and one instance per use case', () => {
    const ports = inMemoryPorts();
    const container = createCoreContainer(ports);
    expect(container.get(PORTS.MessageRepository)).toBe(ports.messages);
    expect(container.get(PORTS.CoreConfig)).toBe(ports.config);
    expect(container.get(USE_CASES.SendMessage)).toBe(container.get(USE_CASES.SendMessage));
  });
});

describe('PORT_TOKENS', () => {
  it('has a token for every port, checked by the compiler', () => {
    type WithNewPort = CorePorts & { readonly presence: { online(userId: string): boolean } };
    // @ts-expect-error: a port added to CorePorts without a token does not compile.
    const tokens: { readonly [K in keyof WithNewPort]: ServiceIdentifier<WithNewPort[K]> } = PORT_TOKENS;
    expect(Object.keys(tokens).sort()).toEqual(Object.keys(inMemoryPorts()).sort());
  });
});
