import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../src/database.js';
import { KyselyMessageRepository } from '../src/messages/kysely-message-repository.js';
import { migrate } from '../src/migrate.js';
import { KyselyUserRepository } from '../src/users/kysely-user-repository.js';

const database = openDatabase('sqlite::memory:');
afterAll(() => database.close());

it('names sender and recipient right while the username cache keeps evicting', async () => {
  await migrate(database.db);
  const users = new KyselyUserRepository(database);
  const messages = new KyselyMessageRepository(database, { usernameCacheSize: 2 });
  const people = [];
  for (const username of ['ann', 'ben', 'cat', 'dan', 'eve']) {
    const user = await users.create({ username, passwordHash: 'x' });
    if (!user) throw new Error(`test set-up: cannot create ${username}`);
    people.push(user);
  }
  for (let round = 0; round < 3; round++) {
    for (const [i, sender] of people.entries()) {
      const recipient = people[(i + 1 + round) % people.length];
      if (!recipient || recipient.id === sender.id) continue;
      const { message } = await messages.append({
        senderId: sender.id,
        recipientId: recipient.id,
        body: `${round}`,
        clientId: null,
        createdAt: new Date(),
      });
      expect({ sender: message.sender, recipient: message.recipient }).toEqual({ sender, recipient });
    }
  }
});
