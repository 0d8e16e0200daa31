import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

async function aliceAndBob(config = {}) {
  const core = aCore(config);
  const alice = await core.signUp('Alice');
  const bob = await core.signUp('bob');
  const send = (body: string, recipient = 'bob', clientId?: string) =>
    core.sendMessage.execute({ sender: alice.user, recipient, body, ...(clientId === undefined ? {} : { clientId }) });
  return { core, alice: alice.user, bob: bob.user, send };
}

const pathsOf = (result: { ok: boolean; error?: unknown }) => {
  const error = result.error as { kind: string; issues?: { path: string }[] } | undefined;
  return result.ok ? 'ok' : error?.kind === 'validation-failed' ? error.issues?.map((i) => i.path) : error?.kind;
};

describe('SendMessage', () => {
  it('stores the trimmed message, stamped with the clock, and returns it as created', async () => {
    const { core, alice, bob, send } = await aliceAndBob();
    const result = await send('  hello Bob \n');
    expect(result).toEqual({
      ok: true,
      value: {
        created: true,
        message: { id: expect.any(String), sender: alice, recipient: bob, body: 'hello Bob', createdAt: core.clock.now(), clientId: null },
      },
    });
    const id = result.ok ? result.value.message.id : '';
    expect(await core.ports.messages.findById(id)).toEqual(result.ok && result.value.message);
  });

  it('finds the recipient in any letter case', async () => {
    const { bob, send } = await aliceAndBob();
    const result = await send('hi', 'BOB');
    expect(result.ok && result.value.message.recipient).toEqual(bob);
  });

  it('tells both users, by id, after storing', async () => {
    const { core, alice, bob, send } = await aliceAndBob();
    core.published.length = 0;
    const result = await send('hi');
    const id = result.ok ? result.value.message.id : '';
    expect(core.published).toEqual([
      { kind: 'event', userIds: [alice.id, bob.id], event: { type: 'message.created', id, sender: 'Alice', recipient: 'bob' } },
    ]);
  });

  it('refuses an empty body, a NUL and an over-long body', async () => {
    const { core, send } = await aliceAndBob();
    expect(pathsOf(await send(''))).toEqual(['body']);
    expect(pathsOf(await send(' \n\t '))).toEqual(['body']);
    expect(pathsOf(await send('a\u0000b'))).toEqual(['body']);
    expect(core.published).toEqual([]);
  });

  it('counts the length in code points: 5000 emoji pass, 5001 do not', async () => {
    const { send } = await aliceAndBob();
    expect(pathsOf(await send('😀'.repeat(5000)))).toBe('ok');
    expect(pathsOf(await send('😀'.repeat(5001)))).toEqual(['body']);
  });

  it('takes its maximum length from the configuration', async () => {
    const { send } = await aliceAndBob({ maxMessageLength: 3 });
    expect(pathsOf(await send('abc'))).toBe('ok');
    expect(pathsOf(await send('abcd'))).toEqual(['body']);
  });

  it('refuses a message to oneself, in any letter case', async () => {
    const { send } = await aliceAndBob();
    expect(pathsOf(await send('hi', 'Alice'))).toEqual(['recipient']);
    expect(pathsOf(await send('hi', 'alice'))).toEqual(['recipient']);
  });

  it('reports every invalid field at once', async () => {
    const { send } = await aliceAndBob();
    expect(pathsOf(await send(' ', 'ALICE', ''))).toEqual(['body', 'clientId', 'recipient']);
  });

  it('refuses an unknown or malformed recipient', async () => {
    const { send } = await aliceAndBob();
    expect(await send('hi', 'carol')).toEqual({ ok: false, error: { kind: 'user-not-found' } });
    expect(await send('hi', 'not a name')).toEqual({ ok: false, error: { kind: 'user-not-found' } });
  });

  it('refuses an empty or over-long clientId', async () => {
    const { send } = await aliceAndBob();
    expect(pathsOf(await send('hi', 'bob', ''))).toEqual(['clientId']);
    expect(pathsOf(await send('hi', 'bob', 'x'.repeat(65)))).toEqual(['clientId']);
    expect(pathsOf(await send('hi', 'bob', 'x'.repeat(64)))).toBe('ok');
  });

  it('returns the first message, not created, when a clientId is repeated with the same recipient and body', async () => {
    const { core, alice, bob, send } = await aliceAndBob();
    const first = await send('hello', 'bob', 'k1');
    core.published.length = 0;
    const again = await send('  hello  ', 'BOB', 'k1');
    expect(first.ok && first.value.created).toBe(true);
    expect(again).toEqual({ ok: true, value: { created: false, message: first.ok && first.value.message } });
    expect(await core.ports.messages.history({ userId: alice.id, peerId: bob.id, limit: 10 })).toHaveLength(1);
    // Notified again: the first attempt may have died before it could.
    expect(core.published).toHaveLength(1);
  });

  it('refuses a clientId reused with another body or another recipient', async () => {
    const { core, alice, send } = await aliceAndBob();
    await core.signUp('carol');
    await send('hello', 'bob', 'k2');
    core.published.length = 0;
    expect(await send('hello again', 'bob', 'k2')).toEqual({ ok: false, error: { kind: 'client-id-reused' } });
    expect(await send('hello', 'carol', 'k2')).toEqual({ ok: false, error: { kind: 'client-id-reused' } });
    expect(core.published).toEqual([]);
    expect(await core.ports.messages.after({ userId: alice.id, afterId: '0', limit: 10 })).toHaveLength(1);
  });

  it('creates one message for concurrent retries', async () => {
    const { core, alice, send } = await aliceAndBob();
    const results = await Promise.all(Array.from({ length: 5 }, () => send('once', 'bob', 'k3')));
    expect(results.filter((r) => r.ok && r.value.created)).toHaveLength(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await core.ports.messages.after({ userId: alice.id, afterId: '0', limit: 10 })).toHaveLength(1);
  });

  it('keeps clientIds of different senders apart', async () => {
    const { core, alice, bob, send } = await aliceAndBob();
    const fromAlice = await send('hi', 'bob', 'same');
    const fromBob = await core.sendMessage.execute({ sender: bob, recipient: 'Alice', body: 'hi', clientId: 'same' });
    expect(fromAlice.ok && fromAlice.value.created).toBe(true);
    expect(fromBob.ok && fromBob.value.created).toBe(true);
    expect(fromBob.ok && fromBob.value.message.recipient).toEqual(alice);
  });
});
