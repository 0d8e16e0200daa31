import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';
import { RECENT_MESSAGES } from './recent-messages.js';

/** A core whose message store counts the reads by id it is asked for. */
async function counting() {
  const core = aCore();
  const alice = await core.signUp('alice');
  const bob = await core.signUp('bob');
  const store = core.ports.messages;
  const findById = store.findById.bind(store);
  let reads = 0;
  store.findById = (id) => {
    reads++;
    return findById(id);
  };
  const send = async (body = 'hi') => {
    const sent = await core.sendMessage.execute({ sender: alice.user, recipient: 'bob', body });
    if (!sent.ok) throw new Error(sent.error.kind);
    return sent.value.message;
  };
  return { core, alice, bob, send, reads: () => reads };
}

describe('the GET that follows a send (RecentMessages)', () => {
  it('is answered without asking the store, with what the store holds', async () => {
    const { core, bob, send, reads } = await counting();
    const message = await send();
    expect(await core.getMessage.execute({ viewer: bob.user, id: message.id })).toEqual({ ok: true, value: message });
    expect(reads()).toBe(0);
    expect(await core.ports.messages.findById(message.id)).toEqual(message);
  });

  it('asks the store once the message is older than the few seconds it is kept', async () => {
    const { core, bob, send, reads } = await counting();
    const message = await send();
    core.clock.advance(RECENT_MESSAGES.ttlMs + 1);
    expect(await core.getMessage.execute({ viewer: bob.user, id: message.id })).toEqual({ ok: true, value: message });
    expect(reads()).toBe(1);
  });

  it(`keeps the last ${RECENT_MESSAGES.capacity} sends of this process, no more`, async () => {
    const { core, bob, send, reads } = await counting();
    const first = await send('first');
    let last = first;
    for (let i = 0; i < RECENT_MESSAGES.capacity; i++) last = await send(`message ${i}`);
    expect(await core.getMessage.execute({ viewer: bob.user, id: last.id })).toEqual({ ok: true, value: last });
    expect(reads()).toBe(0);
    expect(await core.getMessage.execute({ viewer: bob.user, id: first.id })).toEqual({ ok: true, value: first });
    expect(reads()).toBe(1);
  });

  it('still tells anyone but the two participants that a recent message does not exist', async () => {
    const { core, send } = await counting();
    const carol = await core.signUp('carol');
    const message = await send();
    expect(await core.getMessage.execute({ viewer: carol.user, id: message.id })).toEqual({
      ok: false,
      error: { kind: 'message-not-found' },
    });
  });
});
