import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';

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
