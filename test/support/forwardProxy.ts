import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

/** A forward proxy (not yet listening) that records what it carried: CONNECT tunnels and absolute-form requests. */
export function forwardProxy(): { server: Server; carried: string[] } {
  const carried: string[] = [];
  const server = createServer((req, res) => {
    carried.push(req.url!);
    const target = new URL(req.url!);
    const upstream = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode!, r.headers);
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    carried.push(req.url!);
    const [host, port] = req.url!.split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
  });
  return { server, carried };
}

export interface RunningProxy {
  url: string;
  /** What it carried so far: `host:port` of each tunnel, the URL of each absolute-form request. */
  carried: string[];
  close(): Promise<void>;
}

/** A forward proxy listening on a free port of 127.0.0.1. */
export async function startForwardProxy(): Promise<RunningProxy> {
  const { server, carried } = forwardProxy();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    carried,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
