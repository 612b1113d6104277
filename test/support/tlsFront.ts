import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

const tls = join(__dirname, '..', 'fakes', 'tls');
/**
 * The private certificate authority of the test's TLS services, trusted nowhere else. Made with openssl (P-256, valid
 * a century; its key was thrown away): `req -x509` for the authority, then `x509 -req` signing service-cert.pem for
 * 127.0.0.1, localhost and *.oss-cn-hangzhou.aliyuncs.com (ali-oss names the bucket's virtual host in the Host
 * header when its endpoint is an IP address, and the connection checks the certificate against that name).
 */
export const testCaFile = join(tls, 'private-ca-cert.pem');

/**
 * An HTTPS server on 127.0.0.1, its certificate from the test's private authority, that hands every request as it
 * came (the Host header too, which signatures cover) to a fake service's plain HTTP server: the fake as a TLS
 * service. Closing cuts open connections first.
 */
export async function tlsFront(target: string): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: readFileSync(join(tls, 'service-cert.pem')), key: readFileSync(join(tls, 'service-key.pem')) }, (req, res) => {
    const forwarded = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
