import { describe, expect, it } from 'vitest';
import type { Notification } from '../notifications/events.js';
import { notifierContract } from '../testing/index.js';
import { LocalNotifier } from './local-notifier.js';

notifierContract('LocalNotifier', async (delivery) => ({ notifier: new LocalNotifier(delivery), close: async () => {} }));

describe('LocalNotifier', () => {
  const notification: Notification = { kind: 'end-sessions', sessionIds: ['1'] };

  it('reports a failed delivery to onError with the notification', async () => {
    const failure = new Error('socket gone');
    const reported: [unknown, Notification][] = [];
    const notifier = new LocalNotifier(
      {
        deliver: () => {
          throw failure;
        },
      },
      { onError: (error, n) => reported.push([error, n]) },
    );
    await expect(notifier.publish(notification)).resolves.toBeUndefined();
    expect(reported).toEqual([[failure, notification]]);
  });

  it('does not reject even when onError throws', async () => {
    const notifier = new LocalNotifier(
      {
        deliver: () => {
          throw new Error('first');
        },
      },
      {
        onError: () => {
          throw new Error('second');
        },
      },
    );
    await expect(notifier.publish(notification)).resolves.toBeUndefined();
  });

  it('has delivered by the time publish resolves', async () => {
    const received: Notification[] = [];
    await new LocalNotifier({ deliver: (n) => received.push(n) }).publish(notification);
    expect(received).toEqual([notification]);
  });
});
