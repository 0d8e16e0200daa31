import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('GetMessage', () => {
  it('shows a message to its sender and its recipient', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const bob = await core.signUp('bob');
    const sent = await core.sendMessage.execute({ sender: alice.user, recipient: 'bob', body: 'hi' });
    if (!sent.ok) throw new Error(sent.error.kind);
    const { message } = sent.value;
    expect(await core.getMessage.execute({ viewer: alice.user, id: message.id })).toEqual({ ok: true, value: message });
    expect(await core.getMessage.execute({ viewer: bob.user, id: message.id })).toEqual({ ok: true, value: message });
  });

  it('tells anyone else it does not exist', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    await core.signUp('bob');
    const carol = await core.signUp('carol');
    const sent = await core.sendMessage.execute({ sender: alice.user, recipient: 'bob', body: 'hi' });
    const id = sent.ok ? sent.value.message.id : '';
    expect(await core.getMessage.execute({ viewer: carol.user, id })).toEqual({ ok: false, error: { kind: 'message-not-found' } });
  });

  it('answers not found for unknown and malformed ids', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    for (const id of ['999999', 'abc', '', '-1', '01', '1.0', '99999999999999999999']) {
      expect(await core.getMessage.execute({ viewer: alice.user, id })).toEqual({ ok: false, error: { kind: 'message-not-found' } });
    }
  });
});
