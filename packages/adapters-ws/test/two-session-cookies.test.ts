import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALLOWED_ORIGIN, connect, refusal, startServer, type TestServer } from './harness.js';

describe('a handshake with two session cookies', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
  });
  afterEach(async () => {
    await server.close();
  });

  const cookies = (value: string) => ({ headers: { cookie: value }, origin: ALLOWED_ORIGIN });

  it('is refused with 401 when they differ, valid or not, in either order (the REST rule)', async () => {
    const alice = await server.register('alice');
    const mallory = await server.register('mallory');
    for (const header of [
      `mc_session=${mallory.token}; mc_session=${alice.token}`,
      `mc_session=${alice.token}; mc_session=${mallory.token}`,
      `mc_session=stale; mc_session=${alice.token}`,
    ]) {
      expect(await refusal(server, cookies(header)), header).toBe(401);
    }
    expect(server.registry.size).toBe(0);
  });

  it('is accepted when both carry the same session', async () => {
    const alice = await server.register('alice');
    const client = await connect(server, cookies(`mc_session=${alice.token}; theme=dark; mc_session=${alice.token}`));
    expect(await client.next()).toMatchObject({ type: 'ready', user: { username: 'alice' } });
    client.close();
  });
});
