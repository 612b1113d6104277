import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DbTicketsError } from '../../../src/core/errors';
import { rootCertificates } from 'node:tls';
import { createDispatcher, type NetSettings, trustOptions } from '../../../src/net/dispatcher';
import { noProxyList, noProxyMatcher } from '../../../src/net/noProxy';
import { HttpClient } from '../../../src/net/httpClient';
import { redact } from '../../../src/net/redact';
import { backoffMs, sleep, withRetries } from '../../../src/net/retry';
import { TransportError } from '../../../src/net/transportError';
import { forwardProxy } from '../../support/forwardProxy';
import { testCaFile } from '../../support/tlsFront';

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

  describe('noProxy (VS Code http.noProxy, NO_PROXY)', () => {
    const exempt = (entries: string[], url: string) => noProxyMatcher(entries)(new URL(url));

    it('matches host names with their subdomains, a leading dot or *. changing nothing', () => {
      for (const entry of ['example.com', '.example.com', '*.example.com']) {
        assert.equal(exempt([entry], 'https://example.com/'), true, entry);
        assert.equal(exempt([entry], 'https://api.eu.EXAMPLE.com/'), true, entry);
        assert.equal(exempt([entry], 'https://notexample.com/'), false, entry);
      }
      assert.equal(exempt(['*'], 'https://anything.test/'), true);
      assert.equal(exempt([], 'https://example.com/'), false);
    });

    it('matches IP addresses and CIDR ranges, IPv4 and IPv6', () => {
      assert.equal(exempt(['10.0.0.0/8'], 'http://10.20.30.40/'), true);
      assert.equal(exempt(['10.0.0.0/8'], 'http://11.0.0.1/'), false);
      assert.equal(exempt(['10.0.0.0/8'], 'http://10.example.com/'), false);
      assert.equal(exempt(['192.168.1.7'], 'https://192.168.1.7:8443/'), true);
      assert.equal(exempt(['fd00::/8'], 'http://[fd12::1]/'), true);
      assert.equal(exempt(['fd00::/8'], 'http://[fe80::1]/'), false);
      assert.equal(exempt(['::1'], 'http://[::1]:3000/'), true);
      assert.equal(exempt(['10.0.0.0/99'], 'http://10.0.0.1/'), false, 'an impossible prefix matches nothing');
    });

    it('an entry with a port matches that port only (the scheme default when the URL has none)', () => {
      assert.equal(exempt(['example.com:8443'], 'https://example.com:8443/'), true);
      assert.equal(exempt(['example.com:8443'], 'https://example.com/'), false);
      assert.equal(exempt(['example.com:443'], 'https://example.com/'), true);
      assert.equal(exempt(['[::1]:8080'], 'http://[::1]:8080/'), true);
      assert.equal(exempt(['[::1]:8080'], 'http://[::1]:8081/'), false);
    });

    it('NO_PROXY lists are split at commas and white space', () => {
      assert.deepEqual(noProxyList(' a.com, b.com  10.0.0.0/8,,'), ['a.com', 'b.com', '10.0.0.0/8']);
      assert.deepEqual(noProxyList(undefined), []);
    });
  });

  describe('trust', () => {
    it("a CA file adds to the system's authorities and those of NODE_EXTRA_CA_CERTS, rather than replacing them", () => {
      const extra = testCaFile;
      const { ca } = trustOptions({ caFile }, { NODE_EXTRA_CA_CERTS: extra });
      assert.deepEqual(ca, [...rootCertificates, readFileSync(extra, 'utf8'), readFileSync(caFile, 'utf8')]);
      assert.deepEqual(trustOptions({}, { NODE_EXTRA_CA_CERTS: extra }), {}, "without a CA file Node's own list (with NODE_EXTRA_CA_CERTS) applies");
    });

    it('a proxy that is not an http(s) URL is a config error saying how to write it', () => {
      for (const proxy of ['proxy.example.com:3128', 'socks5://127.0.0.1:1080']) {
        assert.throws(() => createDispatcher({ proxy }, {}), (e: DbTicketsError) => e.kind === 'config' && e.message.startsWith(`The proxy "${proxy}" is not a valid proxy URL (`) && e.message.endsWith('set it as http://host:port (http.proxy in VS Code, or HTTPS_PROXY / HTTP_PROXY), or clear it.'));
      }
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
