import { once } from 'node:events';
import { type AddressInfo, connect as connectTcp, createServer, type Server, type Socket } from 'node:net';

const DEFAULT_PORTS: Record<string, number> = { 'redis:': 6379, 'rediss:': 6379, 'mysql:': 3306, 'mariadb:': 3306 };

/**
 * A TCP hop in front of Redis or MariaDB that a test can break in the two ways
 * a network breaks, without touching the shared server: `cut()` refuses
 * (every connection dropped, nothing listens), `hang()` goes silent (connections
 * are accepted and kept open, but nothing is forwarded either way, as in a
 * partition). `start()` after `cut()`, or `resume()` after `hang()`, heals it.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly pairs = new Set<Pair>();
  private port = 0;
  private hanging = false;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** A started proxy in front of the server at `url` (`redis://` or `mysql://`), and the same URL pointed through it. */
  static async inFrontOf(url: string): Promise<{ proxy: TcpProxy; url: string }> {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port || DEFAULT_PORTS[target.protocol] || 0));
    const proxied = new URL(url);
    proxied.host = `127.0.0.1:${await proxy.start()}`;
    return { proxy, url: proxied.toString() };
  }

  /** Connections open through the proxy right now (each counts once, client side). */
  get connections(): number {
    return this.pairs.size;
  }

  async start(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connectTcp(this.targetPort, this.targetHost);
      const pair: Pair = { client, upstream, held: [] };
      this.pairs.add(pair);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      // Read on while hanging, so a peer that closes is still seen; what it sent waits in `held`.
      client.on('data', (chunk: Buffer) => this.forward(pair, upstream, chunk));
      upstream.on('data', (chunk: Buffer) => this.forward(pair, client, chunk));
      client.on('close', () => {
        this.pairs.delete(pair);
        upstream.destroy();
      });
      upstream.on('close', () => client.destroy());
    });
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  /** Drops every connection and stops listening: the server is gone, connecting is refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /**
   * Goes silent: new and open connections stay up, but nothing is forwarded
   * either way, so calls wait for an answer that does not come. A client that
   * gives up and closes its side is still seen, and the server side of that
   * connection is closed too (the server then rolls back what it held open).
   */
  hang(): void {
    this.hanging = true;
  }

  /** The network heals: what was held is delivered, late, in order, and forwarding goes on. */
  resume(): void {
    this.hanging = false;
    for (const pair of this.pairs) {
      for (const { to, chunk } of pair.held.splice(0)) to.write(chunk);
    }
  }

  private forward(pair: Pair, to: Socket, chunk: Buffer): void {
    if (this.hanging) pair.held.push({ to, chunk });
    else to.write(chunk);
  }
}

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly held: { to: Socket; chunk: Buffer }[];
}
