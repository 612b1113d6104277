import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * The HTTP servers of a fake service: each listens on a free port of 127.0.0.1, and closing cuts every open
 * connection first, so a test's clients cannot keep a stopped fake alive.
 */
export class LoopbackServers {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  /** Starts one more server with `handler`; its base URL. */
  async listen(handler: RequestListener): Promise<string> {
    const server = createServer(handler);
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(this.servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}
