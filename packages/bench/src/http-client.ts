import type { IncomingHttpHeaders } from 'node:http';
import { Client, type Dispatcher } from 'undici';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | undefined;
}

/** undici's codes for a request that took too long: counted as one reason, as `node:http`'s socket timeout was. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * A keep-alive HTTP/1.1 client for one server, on undici's `dispatch`: the
 * load generator shares two cores with the server, and every microsecond it
 * spends per request is taken from the server and shows as the server's
 * latency. Measured on loopback, 50,000 POSTs 200 in flight: `dispatch`
 * costs 1.6–2.2 times less client CPU per request than `node:http` with a
 * keep-alive Agent, undici's `request()` (a stream per body) only 1.1–1.5 times.
 *
 * One undici `Client` (one connection) a request at a time, kept here on a
 * stack of idle ones: undici's `Pool` looks for a free client by walking all
 * of them from the first, twice a request, which with thousands in flight (an
 * overloaded target at 4,000/s) was the generator's largest single cost.
 */
export class HttpClient {
  private readonly origin: string;
  private readonly clients: Client[] = [];
  /** The most recently freed on top, as the `lifo` Agent had it: the connections in use stay few and warm. */
  private readonly idle: Client[] = [];
  /** Requests waiting for a connection while all `maxSockets` are busy. */
  private readonly waiting: ((client: Client) => void)[] = [];

  constructor(
    port: number,
    private readonly maxSockets: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
  }

  send(method: string, path: string, token: string | undefined, body?: unknown): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const options: Dispatcher.DispatchOptions = {
      method: method as Dispatcher.HttpMethod,
      path,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    };
    return new Promise((resolve, reject) => {
      const client = this.idle.pop() ?? this.open();
      if (client) this.dispatch(client, options, resolve, reject);
      else this.waiting.push((freed) => this.dispatch(freed, options, resolve, reject));
    });
  }

  private open(): Client | undefined {
    if (this.clients.length >= this.maxSockets) return undefined;
    const client = new Client(this.origin, {
      // The server closes a connection idle for 5 s and says so (Keep-Alive: timeout=5). undici would close ours
      // 2 s sooner by default, and then thousands of warmed connections closed at once fell inside the stretch
      // measured right after the warm-up (stalling both ends: accepted p99 730 ms against 86 ms). As with
      // node:http, the server closes them: its 5 s are counted from the warm-up, like the stretch.
      keepAliveTimeoutThreshold: 0,
      connect: { timeout: this.timeoutMs },
    });
    this.clients.push(client);
    return client;
  }

  private release(client: Client): void {
    const next = this.waiting.shift();
    if (next) next(client);
    else this.idle.push(client);
  }

  private dispatch(
    client: Client,
    options: Dispatcher.DispatchOptions,
    resolve: (answer: HttpAnswer) => void,
    reject: (error: Error) => void,
  ): void {
    let status = 0;
    let retryAfter: string | undefined;
    const chunks: Buffer[] = [];
    const release = () => this.release(client);
    try {
      client.dispatch(options, {
        // Its presence is what tells undici this handler speaks the current (controller) interface.
        onRequestStart() {},
        onResponseStart(_controller, statusCode: number, responseHeaders: IncomingHttpHeaders) {
          status = statusCode;
          retryAfter = firstOf(responseHeaders['retry-after']);
        },
        onResponseData(_controller, chunk: Buffer) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          release();
          resolve({ status, body: Buffer.concat(chunks).toString('utf8'), retryAfter });
        },
        onResponseError(_controller, error: Error) {
          // The client reconnects on its next request: it goes back on the stack all the same.
          release();
          reject(TIMEOUT_CODES.has((error as { code?: string }).code ?? '') ? new Error('timeout') : error);
        },
      });
    } catch (error) {
      release();
      reject(error as Error);
    }
  }

  /**
   * Opens `sockets` keep-alive connections before the measurement, so that
   * connecting (and the server's accept queue) is not what is measured, as
   * for clients that were connected already: `sockets` requests at once each
   * take a connection of their own, one is opened while all are busy.
   */
  async warm(sockets: number): Promise<void> {
    // A path that is no file and no route: a 404 that asks the database nothing.
    await Promise.all(Array.from({ length: sockets }, () => this.send('GET', '/bench-warm-up', undefined).catch(() => undefined)));
  }

  close(): void {
    for (const client of this.clients) client.destroy().catch(() => undefined);
  }
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
