import { Worker } from 'node:worker_threads';

const DEFAULT_PORTS: Record<string, number> = { 'mysql:': 3306, 'mariadb:': 3306 };

/**
 * `TcpProxy` (test-support) with the same controls, forwarding on a thread of
 * its own. The chaos servers send every database statement and every client
 * request through such hops; in the test's event loop, busy with two dozen web
 * clients and the checks, each round trip waited for it, and the servers' own
 * time per send measured the test rather than themselves.
 */
export class ProxyThread {
  private readonly worker: Worker;
  private readonly counter = new SharedArrayBuffer(4);
  private readonly waiting = new Map<number, (value: unknown) => void>();
  private next = 0;

  constructor(targetHost: string, targetPort: number) {
    this.worker = new Worker(new URL('./proxy-worker.mjs', import.meta.url), {
      workerData: { targetHost, targetPort, counter: this.counter },
    });
    this.worker.unref();
    this.worker.on('message', ({ id, value }: { id: number; value: unknown }) => {
      this.waiting.get(id)?.(value);
      this.waiting.delete(id);
    });
  }

  /** A started proxy in front of the MariaDB at `url`, and the same URL pointed through it. */
  static async inFrontOf(url: string): Promise<{ proxy: ProxyThread; url: string }> {
    const target = new URL(url);
    const proxy = new ProxyThread(target.hostname, Number(target.port || DEFAULT_PORTS[target.protocol] || 0));
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${await proxy.start()}`;
    return { proxy, url: proxied.toString() };
  }

  /** Connections open through the proxy right now. */
  get connections(): number {
    return Atomics.load(new Int32Array(this.counter), 0);
  }

  async start(): Promise<number> {
    return (await this.call('start')) as number;
  }

  /** Drops every connection and stops listening. */
  async cut(): Promise<void> {
    await this.call('cut');
  }

  /** Goes silent (nothing forwarded either way) until `resume()`. */
  hang(): Promise<void> {
    return this.call('hang').then(() => undefined);
  }

  /** Delivers what was held, in order, and forwards again. */
  resume(): Promise<void> {
    return this.call('resume').then(() => undefined);
  }

  async close(): Promise<void> {
    await this.cut();
    await this.worker.terminate();
  }

  private call(op: string): Promise<unknown> {
    const id = ++this.next;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker.postMessage({ id, op });
    });
  }
}
