import { expect } from 'vitest';
import { api, Client, logIn, type Running, registerUser, sendMessage } from './support.js';

/**
 * The whole life of a conversation over real sockets: notifications to every
 * connection of both people, history, catch-up after a disconnect, logout
 * closing that session's sockets with 4401. Run on SQLite and on MariaDB.
 */
export async function conversationFlow(running: Running): Promise<void> {
  const { base, wsBase } = running;
  const alice = await registerUser(base, 'alice');
  const bob = await registerUser(base, 'bob');
  const aliceOnPhone = await logIn(base, 'alice');

  const aliceTabs = [
    await Client.open(wsBase, alice.token),
    await Client.open(wsBase, alice.token),
    await Client.open(wsBase, aliceOnPhone.token),
  ];
  const bobTabs = [await Client.open(wsBase, bob.token), await Client.open(wsBase, bob.token)];
  expect(aliceTabs[0]?.frames[0]).toEqual({ type: 'ready', user: alice.user });

  // Send → every connection of both people hears of it → GET returns it.
  const first = await sendMessage(base, alice, 'bob', 'hello bob');
  for (const client of [...aliceTabs, ...bobTabs]) {
    expect(await client.next((f) => f.type === 'message.created' && f.id === first.id)).toEqual({
      type: 'message.created',
      id: first.id,
      sender: 'alice',
      recipient: 'bob',
    });
  }
  const fetched = await api(base, 'GET', `/messages/${first.id}`, bob.token);
  expect(await fetched.json()).toEqual(first);

  // Reading is news to both.
  expect((await api(base, 'POST', '/conversations/alice/read', bob.token, { lastReadId: first.id })).status).toBe(204);
  await aliceTabs[0]?.next((f) => f.type === 'conversation.read' && f.reader === 'bob');

  // Bob goes offline; what is sent meanwhile comes back, exactly, with ?after=.
  for (const tab of bobTabs) await tab.close();
  const missed = [await sendMessage(base, alice, 'bob', 'are you there?'), await sendMessage(base, alice, 'bob', 'ping me')];
  const reply = await sendMessage(base, bob, 'alice', 'back now'); // Sent by bob from another client while these tabs were away.
  const bobAgain = await Client.open(wsBase, bob.token);
  const caughtUp = await api(base, 'GET', `/messages?after=${first.id}`, bob.token);
  expect(await caughtUp.json()).toEqual({ items: [...missed, reply], nextCursor: null });
  const history = await api(base, 'GET', '/messages?with=alice&limit=2', bob.token);
  const page = (await history.json()) as { items: { body: string }[]; nextCursor: string | null };
  expect(page.items.map((m) => m.body)).toEqual(['back now', 'ping me']);
  expect(page.nextCursor).not.toBeNull();

  // Logging out ends that session's sockets only, with 4401.
  expect((await api(base, 'POST', '/auth/logout', alice.token)).status).toBe(204);
  for (const tab of aliceTabs.slice(0, 2)) expect((await tab.closed).code).toBe(4401);
  const phone = aliceTabs[2] as Client;
  await sendMessage(base, bob, 'alice', 'still on your phone?');
  await phone.next((f) => f.type === 'message.created' && f.sender === 'bob');
  expect(phone.socket.readyState).toBe(phone.socket.OPEN);

  // Changing the password ends every other session: the phone's socket closes with 4401 too.
  const desk = await logIn(base, 'alice');
  const changed = await api(base, 'POST', '/auth/password', desk.token, {
    currentPassword: 'correct horse battery',
    newPassword: 'a brand new password',
  });
  expect(changed.status).toBe(204);
  expect((await phone.closed).code).toBe(4401);
  await bobAgain.close();
}
