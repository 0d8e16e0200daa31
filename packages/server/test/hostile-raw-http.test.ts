import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ, fuzzTimeout, type HostileServer, problemShapeError, startHostileServer } from './hostile-support.js';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Writes bytes no HTTP client library would send, and reads the answer until the server closes. */
function rawRequest(port: number, bytes: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no answer within 10 s'));
    }, 10_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()] as [string, string]),
      );
      let body = rest.join('\r\n\r\n');
      if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
    socket.end(bytes);
  });
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, end), 16);
    if (!(size > 0)) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}

const PATHS = [
  '/api/v1/auth/me',
  '/api/v1/messages',
  '/api/v1/messages/1',
  '/api/v1/conversations',
  '/api/v1/users',
  '/api/v1/auth/login',
  '/healthz',
];
const HEADER_NAMES = [
  'Authorization',
  'Cookie',
  'Origin',
  'Content-Type',
  'X-Forwarded-For',
  'Sec-Fetch-Site',
  'Host',
  'Accept',
  'X-Custom',
];
/**
 * Header values: printable text, obs-text bytes (0x80-0xFF, which HTTP allows
 * and a decoder may choke on), and now and then a control character, which
 * the parser must refuse.
 */
const headerValue = fc.oneof(
  {
    arbitrary: fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 })
      .map((t) => Buffer.from(t, 'latin1')),
    weight: 4,
  },
  { arbitrary: fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b.map((x) => 0x80 | x))), weight: 3 },
  {
    arbitrary: fc
      .constantFrom('Bearer \u00ff\u00fe', 'mc_session=\u00e9\u00e9', '%E0%A4%A', 'mc_session=%; mc_session=%%', 'http://\u00ff')
      .map((t) => Buffer.from(t, 'latin1')),
    weight: 2,
  },
  { arbitrary: fc.uint8Array({ maxLength: 20 }).map((bytes) => Buffer.from(bytes.filter((b) => b !== 0x0d && b !== 0x0a))), weight: 1 },
);

describe('hostile bytes in the request line and headers, over a raw socket', () => {
  let server: HostileServer;
  let port: number;
  beforeAll(async () => {
    server = await startHostileServer();
    port = Number(new URL(server.base).port);
  });
  afterAll(() => server.close());

  it(
    `answers with the parser's plain 400 or the application's problem+json, never a 500 or silence (seed ${FUZZ.seed})`,
    async () => {
      const seen = new Map<string, number>();
      const details = await fc.check(
        fc.asyncProperty(
          fc.oneof(
            { arbitrary: fc.constantFrom('GET', 'POST'), weight: 8 },
            { arbitrary: fc.constantFrom('PUT', 'G\u0000T', 'get', 'DELETE'), weight: 1 },
          ),
          fc.constantFrom(...PATHS),
          fc.oneof({ arbitrary: fc.constant(new Uint8Array()), weight: 3 }, { arbitrary: fc.uint8Array({ maxLength: 8 }), weight: 1 }),
          fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), headerValue), { maxLength: 4 }),
          fc.boolean(),
          async (method, path, pathNoise, headers, bearer) => {
            const lines = [
              Buffer.concat([
                Buffer.from(`${method} ${path}`, 'latin1'),
                Buffer.from(pathNoise.filter((b) => b > 0x20 && b !== 0x7f && b !== 0x3f && b !== 0x23)),
                Buffer.from(' HTTP/1.1'),
              ]),
              Buffer.from(`Host: 127.0.0.1:${port}`),
              Buffer.from('Connection: close'),
              ...(bearer ? [Buffer.from(`Authorization: Bearer ${server.alice.token}`)] : []),
              ...headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}: `), value])),
              Buffer.from('Content-Length: 2'),
            ];
            const bytes = Buffer.concat([...lines.flatMap((l) => [l, Buffer.from('\r\n')]), Buffer.from('\r\n{}')]);
            const answer = await rawRequest(port, bytes);
            const key = `${answer.status}${answer.headers['content-type'] ? '' : ' (plain)'}`;
            seen.set(key, (seen.get(key) ?? 0) + 1);
            if (answer.status === 0) throw new Error(`no HTTP answer to ${JSON.stringify(bytes.toString('latin1'))}`);
            if (answer.status >= 500 && answer.status !== 503)
              throw new Error(`${answer.status} for ${JSON.stringify(bytes.toString('latin1'))}: ${answer.body}`);
            // Node's parser refuses what is not HTTP before the application sees it: a bare 400.
            if (answer.status === 400 && answer.headers['content-type'] === undefined) return;
            if (answer.status >= 400) {
              const wrong = problemShapeError(answer.status, answer.headers['content-type'] ?? null, answer.body);
              if (wrong) throw new Error(`${wrong} for ${JSON.stringify(bytes.toString('latin1'))}`);
            }
          },
        ),
        { seed: FUZZ.seed, numRuns: Math.ceil(FUZZ.runs / 2), interruptAfterTimeLimit: FUZZ.timeMs },
      );
      if (details.failed) throw new Error(`${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
      console.info(
        `raw HTTP fuzz: ${details.numRuns} requests, seed ${FUZZ.seed}${details.interrupted ? ' (time budget reached)' : ''}; ` +
          `answers ${[...seen].map(([k, n]) => `${k}×${n}`).join(' ')}`,
      );
      expect(server.errors).toEqual([]);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    },
    fuzzTimeout(),
  );
});
