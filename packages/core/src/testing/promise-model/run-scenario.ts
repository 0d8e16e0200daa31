import { compareIds } from '../../shared/ids.js';
import type { StorageFixture } from '../storage-fixture.js';
import { checkInvariants } from './invariants.js';
import { ModelWorld } from './model-world.js';
import { MAX_ID, type Op, type SendOp } from './ops.js';

interface SendAttempt {
  readonly op: SendOp;
  readonly startedAt: number;
  readonly answeredAt: number;
  readonly outcome: Awaited<ReturnType<ModelWorld['useCases']['sendMessage']['execute']>>;
}

/** What one scenario did, for the run's summary line. */
export interface ScenarioStats {
  readonly steps: number;
  readonly messages: number;
  readonly attempts: number;
}

/**
 * Plays the steps against the use cases on the given storage, checking each
 * answer as it comes, then has every client reconnect and checks the promise.
 */
export async function runScenario(storage: StorageFixture, ops: readonly Op[]): Promise<ScenarioStats> {
  const world = new ModelWorld(storage);
  await world.start();
  const unanswered: SendOp[] = [];
  const withClientId: SendOp[] = [];
  let attempts = 0;

  const send = async (op: SendOp): Promise<SendAttempt> => {
    attempts++;
    const startedAt = ++world.tick;
    world.clock.advance(1);
    const outcome = await world.useCases.sendMessage.execute({
      sender: world.userOf(op.from),
      recipient: world.nameOf(op.to),
      body: op.body,
      ...(op.clientId === null ? {} : { clientId: op.clientId }),
    });
    return { op, startedAt, answeredAt: ++world.tick, outcome };
  };

  const afterSends = (sent: readonly SendAttempt[]) => {
    judge(world, sent);
    for (const { op } of sent) {
      if (op.clientId !== null) withClientId.push(op);
      if (op.answerLost) unanswered.push(op);
    }
  };

  for (const op of ops) {
    switch (op.kind) {
      case 'send':
        afterSends([await send(op)]);
        break;
      case 'retry': {
        const pool = unanswered.length > 0 ? unanswered : withClientId;
        if (pool.length === 0) break;
        const index = op.pick % pool.length;
        const original = pool[index] as SendOp;
        if (pool === unanswered) unanswered.splice(index, 1);
        afterSends([await send({ ...original, answerLost: false })]);
        break;
      }
      case 'catchUp':
        await world.catchUp(world.client(op.user, op.slot), op.limit);
        break;
      case 'disconnect':
        world.client(op.user, op.slot).connected = false;
        break;
      case 'reconnect': {
        const client = world.client(op.user, op.slot);
        client.connected = true;
        await world.catchUp(client, 100);
        break;
      }
      case 'markRead':
        await markRead(world, op);
        break;
      case 'together': {
        const sends: Promise<SendAttempt>[] = [];
        const catchUps: Promise<void>[] = [];
        for (const inner of op.ops) {
          if (inner.kind === 'send') sends.push(send(inner));
          else catchUps.push(world.catchUp(world.client(inner.user, inner.slot), inner.limit));
        }
        const [sent] = await Promise.all([Promise.all(sends), Promise.all(catchUps)]);
        afterSends(sent);
        break;
      }
      default:
        op satisfies never;
    }
    await world.settle();
  }

  // A client whose answer never came retries until it gets one.
  for (const op of unanswered.splice(0)) afterSends([await send({ ...op, answerLost: false })]);
  // Every client comes back and catches up, as after a reconnect.
  for (const client of world.clients) {
    client.connected = true;
    await world.catchUp(client, 100);
  }
  await world.settle();
  await checkInvariants(world);
  return { steps: ops.length, messages: world.stored.size, attempts };
}

async function markRead(world: ModelWorld, op: Extract<Op, { kind: 'markRead' }>): Promise<void> {
  const conversation = [...world.stored.values()]
    .filter((m) => (m.from === op.reader && m.to === op.peer) || (m.from === op.peer && m.to === op.reader))
    .map((m) => m.id)
    .sort(compareIds);
  const picked = typeof op.upTo === 'object' ? conversation[op.upTo.pick % Math.max(conversation.length, 1)] : undefined;
  const lastReadId = op.upTo === 'max' ? MAX_ID : (picked ?? '0');
  const result = await world.useCases.markRead.execute({ reader: world.userOf(op.reader), peer: world.nameOf(op.peer), lastReadId });
  if (!result.ok) throw new Error(`mark-read refused: ${JSON.stringify(result.error)}`);
  // The contract: clamped to the conversation's last message, never backwards, nothing when they never wrote.
  const last = conversation.at(-1);
  if (last === undefined) return;
  const key = `${op.reader}\0${op.peer}`;
  const clamped = compareIds(lastReadId, last) > 0 ? last : lastReadId;
  const before = world.markers.get(key) ?? '0';
  world.markers.set(key, compareIds(clamped, before) > 0 ? clamped : before);
}

/**
 * Checks the answers of sends that ran together. Sends without a clientId
 * each store a new message. Those sharing a sender and clientId name one
 * message: the first to commit wins (whichever that was), the others with the
 * same recipient and trimmed body get it back, the others get `client-id-reused`.
 */
function judge(world: ModelWorld, attempts: readonly SendAttempt[]): void {
  const groups = new Map<string, SendAttempt[]>();
  for (const attempt of attempts) {
    const { op, outcome } = attempt;
    if (op.clientId === null) {
      if (!outcome.ok || !outcome.value.created) throw new Error(`a send without clientId was not stored: ${JSON.stringify(outcome)}`);
      record(world, attempt);
      continue;
    }
    const key = `${op.from}\0${op.clientId}`;
    groups.set(key, [...(groups.get(key) ?? []), attempt]);
  }
  for (const [key, group] of groups) {
    const created = group.filter((a) => a.outcome.ok && a.outcome.value.created);
    let boundId = world.byClientId.get(key);
    if (boundId === undefined) {
      if (created.length !== 1) {
        throw new Error(`${group.length} sends together with a new clientId ${group[0]?.op.clientId} created ${created.length} messages`);
      }
      const winner = created[0] as SendAttempt;
      record(world, winner);
      boundId = winner.outcome.ok ? winner.outcome.value.message.id : '';
      world.byClientId.set(key, boundId);
    } else if (created.length > 0) {
      throw new Error(`a repeat of clientId ${group[0]?.op.clientId} created another message`);
    }
    const bound = world.stored.get(boundId);
    if (!bound) throw new Error(`clientId bound to ${boundId}, which the model never stored`);
    for (const { op, outcome } of group) {
      if (op.to === bound.to && op.body.trim() === bound.body) {
        if (!outcome.ok || outcome.value.message.id !== bound.id) {
          throw new Error(`a repeat of clientId ${op.clientId} should return message ${bound.id}: ${JSON.stringify(outcome)}`);
        }
      } else if (outcome.ok || outcome.error.kind !== 'client-id-reused') {
        throw new Error(`clientId ${op.clientId} reused for another message should be refused: ${JSON.stringify(outcome)}`);
      }
    }
  }
}

function record(world: ModelWorld, { op, outcome, startedAt, answeredAt }: SendAttempt): void {
  if (!outcome.ok) throw new Error(`send refused: ${JSON.stringify(outcome.error)}`);
  const { message } = outcome.value;
  if (world.stored.has(message.id)) throw new Error(`message id ${message.id} handed out twice`);
  const expected = { sender: world.nameOf(op.from), recipient: world.nameOf(op.to), body: op.body.trim() };
  const actual = { sender: message.sender.username, recipient: message.recipient.username, body: message.body };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`stored ${JSON.stringify(actual)} for a send of ${JSON.stringify(expected)}`);
  }
  world.stored.set(message.id, { id: message.id, from: op.from, to: op.to, body: expected.body, startedAt, answeredAt });
}
