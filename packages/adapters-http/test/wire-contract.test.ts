import { ConversationJson, MessageJson, OwnAccountJson, ProblemJson, pageJson, SessionJson, UserJson } from '@message-center/core/wire';
import { describe, expect, it } from 'vitest';
import { call, harness, PASSWORD } from './harness.js';

/** Every answer parsed strictly by the one wire contract the web client's types come from: no field missing, none extra. */
describe('REST answers against the wire contract', () => {
  it('registers, sends, reads, lists and fails in exactly the declared shapes', async () => {
    const { app } = await harness();
    const register = async (username: string) =>
      SessionJson.strict().parse(
        await (await call(app, 'POST', '/api/v1/auth/register', { json: { username, password: PASSWORD } })).json(),
      );
    const alice = await register('alice');
    await register('bob');
    const asAlice = { token: alice.token };

    const sent = MessageJson.strict().parse(
      await (await call(app, 'POST', '/api/v1/messages', { ...asAlice, json: { recipient: 'bob', body: 'hi' } })).json(),
    );
    expect(MessageJson.strict().parse(await (await call(app, 'GET', `/api/v1/messages/${sent.id}`, asAlice)).json())).toEqual(sent);
    pageJson(MessageJson.strict())
      .strict()
      .parse(await (await call(app, 'GET', '/api/v1/messages?with=bob', asAlice)).json());
    pageJson(MessageJson.strict())
      .strict()
      .parse(await (await call(app, 'GET', '/api/v1/messages?after=0', asAlice)).json());
    pageJson(UserJson.strict())
      .strict()
      .parse(await (await call(app, 'GET', '/api/v1/users', asAlice)).json());
    pageJson(ConversationJson.strict())
      .strict()
      .parse(await (await call(app, 'GET', '/api/v1/conversations', asAlice)).json());
    OwnAccountJson.strict().parse(await (await call(app, 'GET', '/api/v1/auth/me', asAlice)).json());
    ProblemJson.strict().parse(await (await call(app, 'GET', '/api/v1/messages/999999', asAlice)).json());
  });
});
