import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';

describe('WatchPresence', () => {
  it('answers each distinct name once, in the stored spelling, unknown and malformed names offline and never seen', async () => {
    const core = aCore();
    const bob = (await core.signUp('Bob')).user;
    await core.signUp('carol');
    core.ports.presence.connected(bob);
    await core.ports.presence.close(); // no grace timers left behind; bob stays online for the snapshot

    const output = await core.watchPresence.execute({ usernames: ['bob', 'ghost', 'CAROL', 'BOB', 'no spaces allowed'] });
    expect(output.users).toEqual([
      { username: 'Bob', online: true, lastSeenAt: null },
      { username: 'ghost', online: false, lastSeenAt: null },
      { username: 'carol', online: false, lastSeenAt: null },
      { username: 'no spaces allowed', online: false, lastSeenAt: null },
    ]);
    expect(output.keys).toEqual(['bob', 'ghost', 'carol', 'no spaces allowed']);
  });

  it('looks at no more than 200 names', async () => {
    const core = aCore();
    const names = Array.from({ length: 250 }, (_, i) => `user${i}`);
    expect((await core.watchPresence.execute({ usernames: names })).users).toHaveLength(200);
  });
});
