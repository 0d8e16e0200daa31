import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Presence, PresenceChange } from '../presence/presence.js';
import type { User } from '../users/user.js';

export interface PresenceFixture {
  /**
   * The presence of one more server process on the shared backend. An
   * adapter that lives in one process returns the same object every time.
   */
  open(): Promise<Presence>;
  /**
   * Ends a process the way a crash does: its timers and connections stop, no
   * clean-up runs. Absent for an adapter that lives in one process, where a
   * crash takes the whole state with it.
   */
  readonly crash?: (presence: Presence) => Promise<void>;
  /** Closes whatever `open` opened. */
  close(): Promise<void>;
}

export interface PresenceTiming {
  /** The grace the fixture must give its adapter. */
  readonly graceMs: number;
}

export type CreatePresence = (timing: PresenceTiming) => Promise<PresenceFixture>;

const GRACE_MS = 600;
const WAIT = { timeout: 10_000, interval: 20 } as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let serial = 0;
/** Ids unique per run, so runs sharing one Redis never see each other's users. */
const aUser = (name: string): User => ({ id: `${Date.now()}${process.pid}${++serial}`, username: `${name}${serial}` });

class Changes {
  readonly seen: PresenceChange[] = [];
  constructor(presence: Presence) {
    presence.onChange((change) => this.seen.push(change));
  }
  of(user: User): PresenceChange[] {
    return this.seen.filter((change) => change.userId === user.id);
  }
}

/**
 * The one contract of the `Presence` port: online at the first connection
 * anywhere, offline once the last one has been gone for the grace, a reload
 * within the grace unseen, and (for adapters that span processes) every
 * process told, and a crashed process's users not online forever.
 */
export function presenceContract(name: string, create: CreatePresence): void {
  describe(`${name}: Presence contract`, () => {
    let fixture: PresenceFixture;
    beforeEach(async () => {
      fixture = await create({ graceMs: GRACE_MS });
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('knows nothing of a user who never connected: offline, never seen', async () => {
      const presence = await fixture.open();
      const nobody = aUser('nobody');
      expect(await presence.statusOf([nobody.id])).toEqual([{ userId: nobody.id, online: false, onlineSince: null, lastSeenAt: null }]);
    });

    it('reports a user online from the first connection, with since when, and says so once', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const alice = aUser('alice');
      const before = Date.now();
      presence.connected(alice);
      presence.connected(alice);
      await vi.waitFor(
        () => expect(changes.of(alice)).toEqual([{ userId: alice.id, username: alice.username, online: true, lastSeenAt: null }]),
        WAIT,
      );
      const [status] = await presence.statusOf([alice.id]);
      expect(status).toMatchObject({ userId: alice.id, online: true, lastSeenAt: null });
      expect(status?.onlineSince?.getTime()).toBeGreaterThanOrEqual(before - 1_000);
      await sleep(200);
      expect(changes.of(alice)).toHaveLength(1);
    });

    it('keeps the user online while one connection remains', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const bob = aUser('bob');
      presence.connected(bob);
      presence.connected(bob);
      presence.disconnected(bob);
      await sleep(GRACE_MS * 2);
      expect((await presence.statusOf([bob.id]))[0]?.online).toBe(true);
      expect(changes.of(bob).map((change) => change.online)).toEqual([true]);
    });

    it('stays online through the grace, then goes offline with the time the last connection went', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const carol = aUser('carol');
      presence.connected(carol);
      await vi.waitFor(() => expect(changes.of(carol)).toHaveLength(1), WAIT);
      const leftAfter = Date.now();
      presence.disconnected(carol);
      const leftBefore = Date.now();

      expect((await presence.statusOf([carol.id]))[0]?.online).toBe(true);
      await vi.waitFor(() => expect(changes.of(carol)).toHaveLength(2), WAIT);
      const offline = changes.of(carol)[1];
      expect(Date.now() - leftAfter).toBeGreaterThanOrEqual(GRACE_MS - 50);
      expect(offline).toMatchObject({ userId: carol.id, username: carol.username, online: false });
      expect(offline?.lastSeenAt?.getTime()).toBeGreaterThanOrEqual(leftAfter - 1_000);
      expect(offline?.lastSeenAt?.getTime()).toBeLessThanOrEqual(leftBefore + 1_000);
      expect(await presence.statusOf([carol.id])).toEqual([
        { userId: carol.id, online: false, onlineSince: null, lastSeenAt: offline?.lastSeenAt },
      ]);
    });

    it('does not flicker: a reconnect within the grace changes nothing anyone hears', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const dave = aUser('dave');
      presence.connected(dave);
      presence.disconnected(dave);
      presence.connected(dave);
      await sleep(GRACE_MS * 2);
      expect(changes.of(dave).map((change) => change.online)).toEqual([true]);
      expect((await presence.statusOf([dave.id]))[0]?.online).toBe(true);
    });

    it('comes online again after having gone offline, and forgets since when it was last seen', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const erin = aUser('erin');
      presence.connected(erin);
      presence.disconnected(erin);
      await vi.waitFor(() => expect(changes.of(erin)).toHaveLength(2), WAIT);
      presence.connected(erin);
      await vi.waitFor(() => expect(changes.of(erin).map((change) => change.online)).toEqual([true, false, true]), WAIT);
      expect(await presence.statusOf([erin.id])).toEqual([
        { userId: erin.id, online: true, onlineSince: expect.any(Date), lastSeenAt: null },
      ]);
    });

    it('answers for many users at once, in the order asked', async () => {
      const presence = await fixture.open();
      const [on, off, never] = [aUser('on'), aUser('off'), aUser('never')];
      presence.connected(on);
      presence.connected(off);
      presence.disconnected(off);
      await vi.waitFor(async () => expect((await presence.statusOf([off.id]))[0]?.online).toBe(false), WAIT);
      await vi.waitFor(async () => expect((await presence.statusOf([on.id]))[0]?.online).toBe(true), WAIT);
      const statuses = await presence.statusOf([never.id, on.id, off.id]);
      expect(statuses.map((status) => [status.userId, status.online, status.lastSeenAt === null])).toEqual([
        [never.id, false, true],
        [on.id, true, true],
        [off.id, false, false],
      ]);
      expect(await presence.statusOf([])).toEqual([]);
    });

    it('keeps telling the other listeners when one throws, and stops telling one that unsubscribed', async () => {
      const presence = await fixture.open();
      presence.onChange(() => {
        throw new Error('listener failed on purpose');
      });
      const gone: PresenceChange[] = [];
      const stop = presence.onChange((change) => gone.push(change));
      stop();
      const changes = new Changes(presence);
      const fay = aUser('fay');
      presence.connected(fay);
      await vi.waitFor(() => expect(changes.of(fay)).toHaveLength(1), WAIT);
      expect(gone).toEqual([]);
    });

    it('admits up to `max` open connections of a user, even asked all at once, and one more once one closes', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const lea = aUser('lea');
      const answers = await Promise.all(Array.from({ length: 5 }, () => presence.admit(lea, 3)));
      expect(answers.filter(Boolean)).toHaveLength(3);
      expect(await presence.admit(lea, 3)).toBe(false);
      presence.disconnected(lea);
      expect(await presence.admit(lea, 3)).toBe(true);
      // Connections reported with `connected` count as well; 0 is no limit.
      presence.connected(lea);
      expect(await presence.admit(lea, 4)).toBe(false);
      expect(await presence.admit(lea, 0)).toBe(true);
      expect(await presence.admit(aUser('ned'), 1)).toBe(true);
      await vi.waitFor(() => expect(changes.of(lea).map((change) => change.online)).toEqual([true]), WAIT);
    });

    it('announces an admitted user online once, and a refused admission changes nothing', async () => {
      const presence = await fixture.open();
      const changes = new Changes(presence);
      const ola = aUser('ola');
      expect(await presence.admit(ola, 1)).toBe(true);
      expect(await presence.admit(ola, 1)).toBe(false);
      presence.disconnected(ola);
      await vi.waitFor(() => expect(changes.of(ola).map((change) => change.online)).toEqual([true, false]), WAIT);
      await sleep(GRACE_MS);
      expect(changes.of(ola)).toHaveLength(2);
    });

    describe('across processes', () => {
      const spansProcesses = () => fixture.crash !== undefined;

      it('reports a user connected to one process online to another, and tells that other process', async (context) => {
        if (!spansProcesses()) return context.skip();
        const [east, west] = [await fixture.open(), await fixture.open()];
        const westChanges = new Changes(west);
        const gus = aUser('gus');
        east.connected(gus);
        await vi.waitFor(() => expect(westChanges.of(gus).map((change) => change.online)).toEqual([true]), WAIT);
        expect((await west.statusOf([gus.id]))[0]?.online).toBe(true);
      });

      it('keeps a user online while any process holds a connection, and a move between processes within the grace is unseen', async (context) => {
        if (!spansProcesses()) return context.skip();
        const [east, west] = [await fixture.open(), await fixture.open()];
        const changes = new Changes(west);
        const hal = aUser('hal');
        east.connected(hal);
        await vi.waitFor(() => expect(changes.of(hal)).toHaveLength(1), WAIT);
        // A reload that lands on the other process behind the load balancer.
        east.disconnected(hal);
        west.connected(hal);
        await sleep(GRACE_MS * 2);
        expect(changes.of(hal).map((change) => change.online)).toEqual([true]);
        expect((await east.statusOf([hal.id]))[0]?.online).toBe(true);

        west.disconnected(hal);
        await vi.waitFor(() => expect(changes.of(hal).map((change) => change.online)).toEqual([true, false]), WAIT);
        expect((await east.statusOf([hal.id]))[0]).toMatchObject({ online: false, lastSeenAt: expect.any(Date) });
      });

      it("does not leave a crashed process's users online: a surviving process notices and says so", async (context) => {
        const crash = fixture.crash;
        if (!crash) return context.skip();
        const [doomed, survivor] = [await fixture.open(), await fixture.open()];
        const changes = new Changes(survivor);
        const [ivy, jon] = [aUser('ivy'), aUser('jon')];
        doomed.connected(ivy);
        doomed.connected(jon);
        survivor.connected(jon);
        await vi.waitFor(() => expect(changes.seen.filter((change) => change.online)).toHaveLength(2), WAIT);
        const crashedAfter = Date.now();
        await crash(doomed);

        await vi.waitFor(() => expect(changes.of(ivy).map((change) => change.online)).toEqual([true, false]), WAIT);
        const offline = changes.of(ivy)[1];
        // Last seen when the dead process last said it was alive, not when it was found dead.
        expect(offline?.lastSeenAt?.getTime()).toBeLessThanOrEqual(Date.now());
        expect(offline?.lastSeenAt?.getTime()).toBeGreaterThanOrEqual(crashedAfter - 5_000);
        expect((await survivor.statusOf([ivy.id]))[0]).toMatchObject({ online: false, lastSeenAt: offline?.lastSeenAt });
        // Jon still has a connection on the survivor.
        expect((await survivor.statusOf([jon.id]))[0]?.online).toBe(true);
        expect(changes.of(jon).map((change) => change.online)).toEqual([true]);
      });

      it("counts every process's connections against the limit, and stops counting a crashed process's", async (context) => {
        const crash = fixture.crash;
        if (!crash) return context.skip();
        const [doomed, survivor] = [await fixture.open(), await fixture.open()];
        const mia = aUser('mia');
        expect(await doomed.admit(mia, 2)).toBe(true);
        expect(await doomed.admit(mia, 2)).toBe(true);
        expect(await survivor.admit(mia, 2)).toBe(false);
        doomed.disconnected(mia);
        // A refused attempt counts nothing, so asking until the close is heard is harmless.
        await vi.waitFor(async () => expect(await survivor.admit(mia, 2)).toBe(true), WAIT);
        expect(await survivor.admit(mia, 2)).toBe(false);
        await crash(doomed);
        await vi.waitFor(async () => expect(await survivor.admit(mia, 2)).toBe(true), WAIT);
        expect(await survivor.admit(mia, 2)).toBe(false);
      });

      it('lets a process that closes cleanly hand its users the grace, then shows them offline elsewhere', async (context) => {
        if (!spansProcesses()) return context.skip();
        const [leaving, staying] = [await fixture.open(), await fixture.open()];
        const changes = new Changes(staying);
        const kim = aUser('kim');
        leaving.connected(kim);
        await vi.waitFor(() => expect(changes.of(kim)).toHaveLength(1), WAIT);
        await leaving.close();
        expect((await staying.statusOf([kim.id]))[0]?.online).toBe(true);
        await vi.waitFor(() => expect(changes.of(kim).map((change) => change.online)).toEqual([true, false]), WAIT);
      });
    });
  });
}
