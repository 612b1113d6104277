import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DbTicketsError } from '../../../src/core/errors';
import { createDispatcher, type NetSettings } from '../../../src/net/dispatcher';
import { HttpClient } from '../../../src/net/httpClient';
import { redact } from '../../../src/net/redact';
import { backoffMs, sleep, withRetries } from '../../../src/net/retry';
import { TransportError } from '../../../src/net/transportError';
import { forwardProxy } from '../../support/forwardProxy';

const tls = join(__dirname, '..', '..', 'fakes', 'tls');
const caFile = join(tls, 'loopback-cert.pem');

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return String((server.address() as AddressInfo).port);
}

function hello(server: Server): Server {
  server.on('request', (_req, res) => res.end('hello'));
  return server;
}

async function get(url: string, settings: NetSettings = {}): Promise<string> {
  const client = new HttpClient(createDispatcher(settings));
  try {
    return (await client.send({ method: 'GET', url, headers: {} }, { timeoutMs: 5_000 })).text;
  } finally {
    await client.close();
  }
}

describe('net: HTTP for the cloud backends', () => {
  const servers: Server[] = [];
  const start = async (server: Server) => {
    servers.push(server);
    return listen(server);
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  describe('custom certificate authority', () => {
    const httpsServer = () => hello(createHttpsServer({ cert: readFileSync(caFile), key: readFileSync(join(tls, 'loopback-key.pem')) }) as unknown as Server);

    it('trusts a server signed by the configured CA file', async () => {
      const port = await start(httpsServer());
      assert.equal(await get(`https://127.0.0.1:${port}/`, { caFile }), 'hello');
    });

    it('without it the certificate is refused before anything is sent', async () => {
      const port = await start(httpsServer());
      await assert.rejects(get(`https://127.0.0.1:${port}/`), (e: TransportError) => e instanceof TransportError && e.failure === 'tls' && e.sent === false);
    });

    it('accepts it when certificate checks are turned off (http.proxyStrictSSL false)', async () => {
      const port = await start(httpsServer());
      assert.equal(await get(`https://127.0.0.1:${port}/`, { strictSSL: false }), 'hello');
    });

    it('a CA file that cannot be read is a config error naming the file', () => {
      assert.throws(() => createDispatcher({ caFile: join(tls, 'missing.pem') }), (e: DbTicketsError) => e.kind === 'config' && /The certificate authority file .*missing\.pem cannot be read \(ENOENT\): fix the path in the CA file setting, or clear it\./.test(e.message));
    });
  });

  describe('proxy', () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    afterEach(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    it('goes through the proxy the settings name', async () => {
      const port = await start(hello(createHttpServer()));
      const { server, carried } = forwardProxy();
      const proxyPort = await start(server);
      assert.equal(await get(`http://127.0.0.1:${port}/x`, { proxy: `http://127.0.0.1:${proxyPort}` }), 'hello');
      assert.equal(carried.length, 1);
      assert.match(carried[0], new RegExp(`127\\.0\\.0\\.1:${port}`));
    });

    it('takes HTTP_PROXY from the environment, and NO_PROXY exempts hosts', async () => {
      const port = await start(hello(createHttpServer()));
      const { server, carried } = forwardProxy();
      const proxyPort = await start(server);
      for (const name of ['http_proxy', 'no_proxy', 'NO_PROXY']) delete process.env[name];
      process.env.HTTP_PROXY = `http://127.0.0.1:${proxyPort}`;
      assert.equal(await get(`http://127.0.0.1:${port}/`), 'hello');
      assert.equal(carried.length, 1);
      process.env.NO_PROXY = '127.0.0.1';
      assert.equal(await get(`http://127.0.0.1:${port}/`), 'hello');
      assert.equal(carried.length, 1);
    });
  });

  describe('retries', () => {
    const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300 };

    it('backs off exponentially with full jitter, capped', () => {
      assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, policy, () => 1)), [100, 200, 300, 300]);
      assert.equal(backoffMs(3, policy, () => 0.5), 150);
    });

    it('stops when told not to retry, and after the last attempt', async () => {
      let attempts = 0;
      await assert.rejects(withRetries(async () => { attempts++; throw new Error('no'); }, () => undefined, policy), /no/);
      assert.equal(attempts, 1);
      attempts = 0;
      await assert.rejects(withRetries(async () => { attempts++; throw new Error('again'); }, () => 0, policy), /again/);
      assert.equal(attempts, 4);
      assert.equal(await withRetries(async (n) => { if (n < 3) throw new Error('x'); return n; }, () => 0, policy), 3);
    });

    it('a wait ends early when the operation is cancelled', async () => {
      const controller = new AbortController();
      const waiting = sleep(60_000, controller.signal);
      controller.abort(new Error('stop'));
      await assert.rejects(waiting, /stop/);
    });
  });

  it('redacts secrets, tokens and signatures from log lines', () => {
    const line = 'POST /?AccessKeyId=ak&Signature=abc%2B%3D&SecurityToken=tok123 Authorization: ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=0f2d54 secret s3cr3t-value';
    const clean = redact(line, ['s3cr3t-value', undefined]);
    assert.equal(clean, 'POST /?AccessKeyId=ak&Signature=***&SecurityToken=*** Authorization: ACS3-HMAC-SHA256 Credential=ak,SignedHeaders=host,Signature=*** secret ***');
  });
});
