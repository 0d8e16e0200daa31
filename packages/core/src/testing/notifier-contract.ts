import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notification } from '../notifications/events.js';
import type { LocalDelivery, Notifier } from '../notifications/notifier.js';

export interface NotifierFixture {
  notifier: Notifier;
  close(): Promise<void>;
}

/** Builds a notifier whose notifications reach `delivery`; ready to publish when the promise resolves. */
export type CreateNotifier = (delivery: LocalDelivery) => Promise<NotifierFixture>;

const WAIT = { timeout: 5_000, interval: 10 } as const;

const created = (id: string): Notification => ({
  kind: 'event',
  userIds: ['1', '2'],
  event: { type: 'message.created', id, sender: 'alice', recipient: 'bob' },
});

/** A delivery that records what it gets and can be told to throw. */
class RecordingDelivery implements LocalDelivery {
  readonly received: Notification[] = [];
  failNext = 0;

  deliver(notification: Notification): void {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('delivery failed on purpose');
    }
    this.received.push(notification);
  }
}

export function notifierContract(name: string, create: CreateNotifier): void {
  describe(`${name}: Notifier contract`, () => {
    let delivery: RecordingDelivery;
    let fixture: NotifierFixture | undefined;
    beforeEach(async () => {
      delivery = new RecordingDelivery();
      fixture = await create(delivery);
    });
    afterEach(async () => {
      await fixture?.close();
      fixture = undefined;
    });
    const notifier = () => {
      if (!fixture) throw new Error('the notifier only exists inside a test');
      return fixture.notifier;
    };

    it('hands a published event to the delivery, unchanged', async () => {
      const notification = created('42');
      await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toHaveLength(1), WAIT);
      expect(delivery.received[0]).toEqual(notification);
    });

    it('passes conversation.read events through', async () => {
      const notification: Notification = {
        kind: 'event',
        userIds: ['7', '9'],
        event: { type: 'conversation.read', reader: 'bob', peer: 'Alice', lastReadId: '123' },
      };
      await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toEqual([notification]), WAIT);
    });

    it('passes typing events through, to the one user named', async () => {
      const notification: Notification = { kind: 'event', userIds: ['9'], event: { type: 'typing', from: 'alice' } };
      await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toEqual([notification]), WAIT);
    });

    it('passes end-sessions through', async () => {
      const notification: Notification = { kind: 'end-sessions', sessionIds: ['5', '6', '9223372036854775807'] };
      await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toEqual([notification]), WAIT);
    });

    it('keeps the order of sequential publishes', async () => {
      const sent = Array.from({ length: 25 }, (_, i) => created(String(i + 1)));
      for (const notification of sent) await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toHaveLength(sent.length), WAIT);
      expect(delivery.received).toEqual(sent);
    });

    it('delivers each publish once', async () => {
      await notifier().publish(created('1'));
      await notifier().publish(created('2'));
      await vi.waitFor(() => expect(delivery.received).toHaveLength(2), WAIT);
      // Give a duplicate time to show up before declaring there is none.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(delivery.received).toEqual([created('1'), created('2')]);
    });

    it('keeps text byte for byte', async () => {
      const notification: Notification = {
        kind: 'event',
        userIds: ['1'],
        event: { type: 'message.created', id: '1', sender: 'a_b-c.d', recipient: 'Z9' },
      };
      await notifier().publish(notification);
      await vi.waitFor(() => expect(delivery.received).toEqual([notification]), WAIT);
    });

    it('neither rejects nor stops when the delivery throws', async () => {
      delivery.failNext = 1;
      await expect(notifier().publish(created('1'))).resolves.toBeUndefined();
      await notifier().publish(created('2'));
      await vi.waitFor(() => expect(delivery.received).toEqual([created('2')]), WAIT);
    });
  });
}
