import fc from 'fast-check';

/** The people of every generated scenario; each one has `CONNECTIONS_PER_USER` clients (tabs, devices). */
export const MODEL_USERNAMES = ['alice', 'bob', 'carol', 'dave'] as const;
export const CONNECTIONS_PER_USER = 3;
/** The greatest id there is: a read marker sent with it is clamped to the conversation's last message. */
export const MAX_ID = '9223372036854775807';

export interface SendOp {
  readonly kind: 'send';
  readonly from: number;
  readonly to: number;
  /** Sent as is; the store keeps it trimmed. */
  readonly body: string;
  readonly clientId: string | null;
  /** The sender never sees the answer (a dropped connection) and retries later with the same clientId. */
  readonly answerLost: boolean;
}

export interface CatchUpOp {
  readonly kind: 'catchUp';
  readonly user: number;
  readonly slot: number;
  readonly limit: number;
}

/** One step of a scenario. Indexes into lists are taken modulo their length, so every generated value means something. */
export type Op =
  | SendOp
  | CatchUpOp
  /** Repeats an earlier send with a clientId: one whose answer was lost if there is one. */
  | { readonly kind: 'retry'; readonly pick: number }
  | { readonly kind: 'disconnect'; readonly user: number; readonly slot: number }
  /** Opens the connection (again): the client catches up from its cursor, as after `ready`. */
  | { readonly kind: 'reconnect'; readonly user: number; readonly slot: number }
  | { readonly kind: 'markRead'; readonly reader: number; readonly peer: number; readonly upTo: 'zero' | 'max' | { readonly pick: number } }
  /** Sends and catch-ups started together and awaited together: the interleaving is the store's. */
  | { readonly kind: 'together'; readonly ops: readonly (SendOp | CatchUpOp)[] };

const user = fc.nat({ max: MODEL_USERNAMES.length - 1 });
const slot = fc.nat({ max: CONNECTIONS_PER_USER - 1 });
/** Two distinct people: the second is an offset from the first, so no draw is wasted on sending to oneself. */
const pair = fc
  .tuple(user, fc.integer({ min: 1, max: MODEL_USERNAMES.length - 1 }))
  .map(([a, offset]) => [a, (a + offset) % MODEL_USERNAMES.length] as const);
/** A few bodies, some equal once trimmed, so clientId reuse meets both "same message" and "another message". */
const body = fc.constantFrom('hi', ' hi ', 'hello', 'ok', '👍 thanks', 'see you\n', 'x');
/** A small pool, so senders often reuse one: retries, concurrent retries and conflicting reuse all happen. */
const clientId = fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'), { nil: null, freq: 3 });

const send: fc.Arbitrary<SendOp> = fc
  .record({ pair, body, clientId, answerLost: fc.boolean() })
  .map(({ pair: [from, to], body, clientId, answerLost }) => ({
    kind: 'send' as const,
    from,
    to,
    body,
    clientId,
    answerLost: answerLost && clientId !== null,
  }));

const catchUp: fc.Arbitrary<CatchUpOp> = fc.record({
  kind: fc.constant('catchUp' as const),
  user,
  slot,
  limit: fc.constantFrom(1, 2, 3, 100),
});

export const anOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: send, weight: 6 },
  { arbitrary: catchUp, weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('disconnect' as const), user, slot }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reconnect' as const), user, slot }), weight: 2 },
  {
    arbitrary: fc
      .record({
        pair,
        upTo: fc.oneof(fc.constant('zero' as const), fc.constant('max' as const), fc.record({ pick: fc.nat() })),
      })
      .map(({ pair: [reader, peer], upTo }) => ({ kind: 'markRead' as const, reader, peer, upTo })),
    weight: 3,
  },
  {
    arbitrary: fc
      .array(fc.oneof({ arbitrary: send, weight: 3 }, { arbitrary: catchUp, weight: 1 }), { minLength: 2, maxLength: 6 })
      .map((ops) => ({ kind: 'together' as const, ops })),
    weight: 3,
  },
);

export const aScenario = (maxLength: number): fc.Arbitrary<Op[]> => fc.array(anOp, { minLength: 1, maxLength, size: 'max' });
