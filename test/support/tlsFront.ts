import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateCaCert, serviceCert, serviceKey } from '../fakes/tls/privateCa';

/** The test's private certificate authority (test/fakes/tls/privateCa.ts) as a PEM file, as a user would name one. */
export const testCaFile = join(mkdtempSync(join(tmpdir(), 'db-tickets-ca-')), 'private-ca.pem');
writeFileSync(testCaFile, privateCaCert);

/**
 * An HTTPS server on 127.0.0.1, its certificate from the test's private authority, that hands every request as it
 * came (the Host header too, which signatures cover) to a fake service's plain HTTP server: the fake as a TLS
 * service. Closing cuts open connections first.
 */
export async function tlsFront(target: string): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const server: Server = createServer({ cert: serviceCert, key: serviceKey }, (req, res) => {
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
