import type { Op, SendOp } from './ops.js';

const send = (from: number, to: number, extra: Partial<SendOp> = {}): SendOp => ({
  kind: 'send',
  from,
  to,
  body: 'hi',
  clientId: null,
  answerLost: false,
  ...extra,
});

/**
 * Counterexamples the property found (against deliberately broken stores
 * while the model was written), kept as fixed scenarios every backend replays.
 */
export const KNOWN_SCENARIOS: Readonly<Record<string, readonly Op[]>> = {
  'a marker past the last message is clamped, so a later message can still be read up to': [
    send(0, 1),
    { kind: 'markRead', reader: 1, peer: 0, upTo: 'max' },
    send(0, 1),
    { kind: 'markRead', reader: 1, peer: 0, upTo: { pick: 1 } },
  ],
  'a catch-up running beside sends never moves past an id whose lower neighbours are not visible yet': [
    {
      kind: 'together',
      ops: [send(1, 0, { clientId: 'k2' }), send(1, 2, { body: 'hello', clientId: 'k8' }), { kind: 'catchUp', user: 1, slot: 0, limit: 1 }],
    },
  ],
  'a clientId is scoped to its sender': [
    {
      kind: 'together',
      ops: [send(1, 2, { clientId: 'k7' }), { kind: 'catchUp', user: 0, slot: 0, limit: 1 }, send(0, 1)],
    },
    { kind: 'together', ops: [send(0, 1, { clientId: 'k7' }), send(0, 1), send(0, 1)] },
  ],
  'a lost answer retried, and the same clientId sent twice at once, store one message': [
    send(0, 1, { clientId: 'k1', answerLost: true }),
    { kind: 'disconnect', user: 0, slot: 0 },
    { kind: 'together', ops: [send(0, 1, { clientId: 'k1' }), send(0, 1, { clientId: 'k1', body: ' hi ' })] },
    { kind: 'retry', pick: 0 },
    { kind: 'reconnect', user: 0, slot: 0 },
  ],
  'a clientId reused for another body or recipient is refused and stores nothing': [
    send(0, 1, { clientId: 'k3' }),
    send(0, 1, { clientId: 'k3', body: 'ok' }),
    send(0, 2, { clientId: 'k3' }),
    { kind: 'together', ops: [send(2, 3, { clientId: 'k4' }), send(2, 3, { clientId: 'k4', body: 'x' })] },
  ],
  'a connection that was away catches up in small pages without gap or repeat': [
    { kind: 'disconnect', user: 1, slot: 0 },
    send(0, 1),
    send(2, 1),
    send(1, 3),
    { kind: 'reconnect', user: 1, slot: 1 },
    { kind: 'catchUp', user: 1, slot: 2, limit: 1 },
    { kind: 'reconnect', user: 1, slot: 0 },
  ],
};
