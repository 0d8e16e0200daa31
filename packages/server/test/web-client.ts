import { ApiClient, type Message, RealtimeConnection } from '@message-center/web/client';
import WebSocket from 'ws';

/**
 * The browser client runs unchanged in Node; Node 20 has no global WebSocket,
 * and `ws` is API-compatible but for one thing: a refused handshake (a 503)
 * emits 'error', which throws when nobody listens, where a browser fires an
 * event nobody needs to handle and then `close`, as `ws` does too.
 */
class BrowserLikeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    this.on('error', () => {});
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeWebSocket;

/** The web package's own client (REST + WebSocket, reconnect, catch-up, resync), as a browser tab would run it. */
export interface WebClient {
  readonly api: ApiClient;
  readonly realtime: RealtimeConnection;
  /** Every message the client emitted, by id, and how many times each was emitted. */
  readonly messages: Map<string, Message>;
  readonly emitted: Map<string, number>;
  /** `ready` frames seen: one per (re)connection. */
  readonly readies: () => number;
  stop(): void;
}

export async function startWebClient(base: string, token: string, fast = true): Promise<WebClient> {
  const api = new ApiClient({ baseUrl: base, auth: 'bearer', token });
  const realtime = new RealtimeConnection(api, {
    after: '0',
    ...(fast ? { backoff: { baseMs: 100, maxMs: 1_000 } } : {}),
  });
  const messages = new Map<string, Message>();
  const emitted = new Map<string, number>();
  let readies = 0;
  realtime.on('message', (message) => {
    messages.set(message.id, message);
    emitted.set(message.id, (emitted.get(message.id) ?? 0) + 1);
  });
  const ready = new Promise<void>((resolve) =>
    realtime.on('ready', () => {
      readies += 1;
      resolve();
    }),
  );
  await realtime.start();
  await ready;
  return { api, realtime, messages, emitted, readies: () => readies, stop: () => realtime.stop() };
}
