import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';

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
 */
export class HttpClient {
  private readonly pool: Pool;

  constructor(
    port: number,
    maxSockets: number,
    private readonly timeoutMs = 10_000,
  ) {
    this.pool = new Pool(`http://127.0.0.1:${port}`, {
      connections: maxSockets,
      // The server closes a connection idle for 5 s and says so (Keep-Alive: timeout=5). undici would close ours
      // 2 s sooner by default, and then thousands of warmed connections closed at once fell inside the stretch
      // measured right after the warm-up (stalling both ends: accepted p99 730 ms against 86 ms). As with
      // node:http, the server closes them: its 5 s are counted from the warm-up, like the stretch.
      keepAliveTimeoutThreshold: 0,
      connect: { timeout: timeoutMs },
    });
  }

  send(method: string, path: string, token: string | undefined, body?: unknown): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return new Promise((resolve, reject) => {
      let status = 0;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      try {
        this.pool.dispatch(
          {
            method: method as 'GET',
            path,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
          },
          {
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
              resolve({ status, body: Buffer.concat(chunks).toString('utf8'), retryAfter });
            },
            onResponseError(_controller, error: Error) {
              reject(TIMEOUT_CODES.has((error as { code?: string }).code ?? '') ? new Error('timeout') : error);
            },
          },
        );
      } catch (error) {
        reject(error);
      }
    });
  }

  /**
   * Opens `sockets` keep-alive connections before the measurement, so that
   * connecting (and the server's accept queue) is not what is measured, as
   * for clients that were connected already: `sockets` requests at once each
   * take a connection of their own, the pool opening one while all are busy.
   */
  async warm(sockets: number): Promise<void> {
    // A path that is no file and no route: a 404 that asks the database nothing.
    await Promise.all(Array.from({ length: sockets }, () => this.send('GET', '/bench-warm-up', undefined).catch(() => undefined)));
  }

  close(): void {
    this.pool.destroy().catch(() => undefined);
  }
}

function firstOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
