import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FUZZ, fuzzTimeout, type HostileServer, startHostileServer } from './hostile-support.js';

const MAX_FRAME = 64 * 1024;

type Frame =
  | { readonly kind: 'json'; readonly text: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly bytes: Uint8Array }
  | { readonly kind: 'bad-utf8'; readonly bytes: Uint8Array }
  | { readonly kind: 'oversize'; readonly binary: boolean; readonly bytes: number };

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('__proto__', 'constructor', '\u0000', '\ud800', 1e308, -1, null, [], {}),
);

/** Frames a client may not send, and frames of the contract filled with the wrong things. */
const aFrame: fc.Arbitrary<Frame> = fc.oneof(
  {
    arbitrary: fc
      .record(
        {
          type: fc.oneof(
            fc.constantFrom('ping', 'typing', 'presence.watch', 'message.created', 'resync', 'ready', '__proto__', 'constructor'),
            fc.string(),
          ),
          to: anyValue,
          users: fc.oneof(anyValue, fc.array(anyValue, { maxLength: 300 })),
          id: anyValue,
        },
        { requiredKeys: ['type'] },
      )
      .map((frame) => ({ kind: 'json' as const, text: JSON.stringify(frame) })),
    weight: 4,
  },
  {
    arbitrary: anyValue.map((v) => ({
      kind: 'json' as const,
      text: `{"type":"ping","__proto__":${JSON.stringify(v) ?? 'null'},"constructor":{"prototype":{"x":1}}}`,
    })),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ kind: 'text' as const, text })), weight: 2 },
  {
    arbitrary: fc
      .constantFrom('', 'null', '[]', '"ping"', '{"type":1}', '{', '[[[[[[[[[[', `${'['.repeat(5000)}${']'.repeat(5000)}`)
      .map((text) => ({ kind: 'text' as const, text })),
    weight: 1,
  },
  { arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'binary' as const, bytes })), weight: 1 },
  {
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 8 })
      .map((b) => ({ kind: 'bad-utf8' as const, bytes: new Uint8Array([0x7b, 0xff, 0xfe, ...b]) })),
    weight: 1,
  },
  {
    arbitrary: fc
      .record({ binary: fc.boolean(), bytes: fc.integer({ min: MAX_FRAME + 1, max: 4 * MAX_FRAME }) })
      .map((f) => ({ kind: 'oversize' as const, ...f })),
    weight: 1,
  },
);

/** Whether the contract lets the server close for this frame, and with which codes. */
function closesWith(frame: Frame): readonly number[] {
  switch (frame.kind) {
    case 'oversize':
      return [1009];
    case 'bad-utf8':
      // The WebSocket protocol itself: a text frame must be UTF-8 (RFC 6455 8.1).
      return [1007];
    case 'binary':
      return [1008];
    case 'text':
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(frame.text);
      } catch {
        return [1008];
      }
      const wellFormed =
        typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
      return wellFormed ? [] : [1008];
    }
    default:
      return frame satisfies never;
  }
}

function isPing(text: string): boolean {
  try {
    const value = JSON.parse(text) as { type?: unknown } | null;
    return typeof value === 'object' && value !== null && !Array.isArray(value) && value.type === 'ping';
  } catch {
    return false;
  }
}

interface Outcome {
  readonly closed?: number;
  readonly ponged: boolean;
}

/** Sends the frames, then a ping: either the server answers it or it has closed the connection. */
async function play(url: string, token: string, frames: readonly Frame[]): Promise<Outcome> {
  const socket = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` } });
  socket.on('error', () => {});
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  let ponged = false;
  let pongs = 0;
  // Generated frames may be pings too: the probe's pong is the one after all of theirs.
  let pongsWanted = Number.POSITIVE_INFINITY;
  let wake: () => void = () => {};
  const pongOrClose = new Promise<void>((resolve) => {
    wake = resolve;
  });
  void closed.then(() => wake());
  const ready = new Promise<void>((resolve, reject) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(String(data)) as { type?: string };
      if (frame.type === 'ready') resolve();
      if (frame.type === 'pong' && ++pongs >= pongsWanted) {
        ponged = true;
        wake();
      }
    });
    socket.once('unexpected-response', (_req, res) => reject(new Error(`handshake ${res.statusCode}`)));
  });
  await ready;
  for (const frame of frames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    if (frame.kind === 'json' || frame.kind === 'text') socket.send(frame.text);
    else if (frame.kind === 'binary') socket.send(frame.bytes, { binary: true });
    else if (frame.kind === 'bad-utf8') socket.send(frame.bytes, { binary: false });
    else socket.send(frame.binary ? new Uint8Array(frame.bytes) : 'x'.repeat(frame.bytes), { binary: frame.binary });
  }
  pongsWanted = frames.filter((f) => f.kind === 'json' && isPing(f.text)).length + 1;
  if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
  // Generous: a loaded machine may take seconds, and either answer will do.
  const timer = setTimeout(() => wake(), 15_000);
  await pongOrClose;
  clearTimeout(timer);
  if (socket.readyState === WebSocket.CLOSED) return { closed: await closed, ponged };
  if (!ponged) {
    socket.terminate();
    await closed;
    return { ponged };
  }
  socket.close(1000);
  await closed;
  return { ponged };
}

describe('hostile frames on a real WebSocket', () => {
  let server: HostileServer;
  let url: string;
  beforeAll(async () => {
    server = await startHostileServer();
    url = `${server.wsBase}/api/v1/ws`;
  });
  afterAll(() => server.close());

  it('closes a frame over 64 KiB with 1009, and takes one of exactly 64 KiB', async () => {
    const over = await play(url, server.alice.token, [{ kind: 'oversize', binary: false, bytes: MAX_FRAME + 1 }]);
    expect(over.closed).toBe(1009);
    const exact = `{"type":"ping","pad":"${'x'.repeat(MAX_FRAME - 24)}"}`;
    expect(Buffer.byteLength(exact)).toBe(MAX_FRAME);
    expect(await play(url, server.alice.token, [{ kind: 'json', text: exact }])).toEqual({ ponged: true });
  });

  it(
    `survives generated garbage, binary and oversize frames: each closes as API.md says or is ignored (seed ${FUZZ.seed})`,
    async () => {
      const codes = new Map<string, number>();
      const details = await fc.check(
        fc.asyncProperty(fc.array(aFrame, { minLength: 1, maxLength: 5 }), async (frames) => {
          const outcome = await play(url, server.alice.token, frames);
          const key = outcome.closed === undefined ? 'open' : String(outcome.closed);
          codes.set(key, (codes.get(key) ?? 0) + 1);
          const allowed = new Set(frames.flatMap(closesWith));
          if (outcome.closed === undefined) {
            if (!outcome.ponged) throw new Error('the connection stayed open but stopped answering pings');
            // A frame the server must close for (oversize: 1009) cannot be ignored.
            if (frames.some((f) => f.kind === 'oversize' || f.kind === 'bad-utf8'))
              throw new Error('an oversize or non-UTF-8 frame was accepted');
            return;
          }
          if (!allowed.has(outcome.closed))
            throw new Error(`closed with ${outcome.closed}; the frames allow only [${[...allowed].join(', ')}]`);
          const first = frames.findIndex((f) => closesWith(f).length > 0);
          const firstFrame = frames[first];
          if (firstFrame?.kind === 'oversize' && outcome.closed !== 1009)
            throw new Error(`an oversize first offence closed with ${outcome.closed}`);
        }),
        { seed: FUZZ.seed, numRuns: Math.ceil(FUZZ.runs / 2), interruptAfterTimeLimit: FUZZ.timeMs },
      );
      if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
      console.info(
        `WebSocket fuzz: ${details.numRuns} connections, seed ${FUZZ.seed}${details.interrupted ? ' (time budget reached)' : ''}; ` +
          `endings ${[...codes].map(([k, n]) => `${k}×${n}`).join(' ')}`,
      );
      expect(server.errors).toEqual([]);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    },
    fuzzTimeout(),
  );
});
