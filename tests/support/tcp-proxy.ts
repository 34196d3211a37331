import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder in front of a service the tests share (PostgreSQL, Redis) that a test can cut
 * and restore: the service "stops" for the server under test only, while every other test file
 * keeps using the real one. Cutting drops every open connection and stops listening, as a
 * stopped database or Redis does (clients see a reset, then ECONNREFUSED).
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** host:port of the target, e.g. from a postgres:// or redis:// URL. */
  static targetOf(url: string): { host: string; port: number } {
    const parsed = new URL(url);
    const fallback = parsed.protocol.startsWith('redis') ? 6379 : 5432;
    return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || fallback) };
  }

  /** The same URL, through this proxy. */
  url(original: string): string {
    const parsed = new URL(original);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  get up(): boolean {
    return this.server !== undefined;
  }

  /** The service goes away: open connections are dropped, new ones refused. */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((done) => server.close(() => done()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }

  /** The service is back, on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  close(): Promise<void> {
    return this.cut();
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        // A reset on one side ends the pair; errors are expected when cutting.
        s.on('error', () => undefined);
      }
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        this.port = (server.address() as { port: number }).port;
        this.server = server;
        resolve();
      });
    });
  }
}
