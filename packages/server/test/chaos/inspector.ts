import WebSocket from 'ws';

/** What a server process holds once a full garbage collection has run. */
export interface MemoryAfterGc {
  /** V8 heap in use after the collection: what a leak makes grow. */
  readonly heapUsedKb: number;
  readonly heapTotalKb: number;
  /** Buffers and other memory outside the V8 heap. */
  readonly externalKb: number;
  readonly rssKb: number;
  /** Live libuv handles (sockets, timers, servers) and requests in flight. */
  readonly handles: number;
  readonly requests: number;
}

/** The inspector's address, as Node prints it on standard error when started with `--inspect=127.0.0.1:0`. */
export function inspectorUrl(output: string): string | undefined {
  const all = [...output.matchAll(/Debugger listening on (ws:\/\/\S+)/g)];
  return all.at(-1)?.[1];
}

/**
 * Forces a full garbage collection in another Node process through its
 * inspector (Chrome DevTools protocol), then reads its memory and handle
 * counts. Test-only: the chaos servers are started with `--inspect` on
 * loopback; nothing in the server knows.
 */
export async function memoryAfterGc(url: string): Promise<MemoryAfterGc> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const call = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      const id = ++next;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
      setTimeout(() => reject(new Error(`inspector: ${method} timed out`)), 30_000).unref();
    });
  try {
    // Twice: objects with finalizers, and weak references, go on the second pass.
    await call('HeapProfiler.collectGarbage');
    await call('HeapProfiler.collectGarbage');
    const expression = `JSON.stringify({ m: process.memoryUsage(), handles: process._getActiveHandles().length, requests: process._getActiveRequests().length })`;
    const result = (await call('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: string } };
    const { m, handles, requests } = JSON.parse(result.result.value) as {
      m: NodeJS.MemoryUsage;
      handles: number;
      requests: number;
    };
    const kb = (bytes: number) => Math.round(bytes / 1024);
    return {
      heapUsedKb: kb(m.heapUsed),
      heapTotalKb: kb(m.heapTotal),
      externalKb: kb(m.external),
      rssKb: kb(m.rss),
      handles,
      requests,
    };
  } finally {
    socket.close();
  }
}
