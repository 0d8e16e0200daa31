import { describe, expect, it } from 'vitest';
import { aCore } from '../testing/core-harness.js';
import { WS_TICKET_TTL_MS } from './ticket-store.js';

describe('WebSocket tickets', () => {
  it('issues a ticket valid for 30 seconds that stands for the session', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const { ticket, expiresAt } = await core.issueWsTicket.execute(alice);
    expect(expiresAt.getTime() - core.clock.now().getTime()).toBe(30_000);
    expect(WS_TICKET_TTL_MS).toBe(30_000);
    expect(ticket).not.toBe(alice.token);
    expect(await core.redeemWsTicket.execute({ ticket })).toEqual({ ok: true, value: { user: alice.user, session: alice.session } });
  });

  it('is single use', async () => {
    const core = aCore();
    const { ticket } = await core.issueWsTicket.execute(await core.signUp('alice'));
    expect((await core.redeemWsTicket.execute({ ticket })).ok).toBe(true);
    expect(await core.redeemWsTicket.execute({ ticket })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('expires after 30 seconds', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const early = await core.issueWsTicket.execute(alice);
    const late = await core.issueWsTicket.execute(alice);
    core.clock.advance(WS_TICKET_TTL_MS - 1);
    expect((await core.redeemWsTicket.execute({ ticket: early.ticket })).ok).toBe(true);
    core.clock.advance(1);
    expect(await core.redeemWsTicket.execute({ ticket: late.ticket })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('is refused once its session has ended', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    const { ticket } = await core.issueWsTicket.execute(alice);
    await core.logOut.execute(alice);
    expect(await core.redeemWsTicket.execute({ ticket })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
  });

  it('refuses unknown, empty and over-long tickets, and session tokens', async () => {
    const core = aCore();
    const alice = await core.signUp('alice');
    for (const ticket of ['', 'nope', 'x'.repeat(513), alice.token]) {
      expect(await core.redeemWsTicket.execute({ ticket })).toEqual({ ok: false, error: { kind: 'unauthenticated' } });
    }
  });
});
