import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB_CHANGE_API, type FakeZStack, startFakeZStack, WORLD } from '../../fakes/zstack/harness';
import { cliSandbox } from '../../support/cliSandbox';
import { type RunningProxy, startForwardProxy } from '../../support/forwardProxy';
import { runCli } from '../../support/runCli';
import { testCaFile, tlsFront } from '../../support/tlsFront';

/** The proxy variables of this machine, cleared so that only each test's own apply. */
const noProxyEnv = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: '' };

describe('db-tickets: proxy and certificate authorities from the environment and the config file', function () {
  this.timeout(60_000);
  let fake: FakeZStack;
  let front: Awaited<ReturnType<typeof tlsFront>>;
  let proxy: RunningProxy;
  const profile = () => ({ name: 'zs', backend: 'zstack', endpoint: front.url, loginAs: 'iam2', username: WORLD.submitter.name, project: WORLD.project.name, request: { apiName: DB_CHANGE_API } });
  /** `db-tickets --profile zs check` with the config's `http` section and the environment given. */
  const check = (http: object | undefined, env: NodeJS.ProcessEnv = {}) => runCli({ ...cliSandbox({ profiles: [profile()], ...(http ? { http } : {}) }), ...noProxyEnv, ZSTACK_PASSWORD: WORLD.submitter.password, ...env }, ['--profile', 'zs', 'check']);
  const tunnelled = () => proxy.carried.filter((target) => target === `127.0.0.1:${front.port}`).length;

  beforeEach(async () => {
    fake = await startFakeZStack();
    front = await tlsFront(fake.url);
    proxy = await startForwardProxy();
  });
  afterEach(async () => {
    await proxy.close();
    await front.close();
    await fake.stop();
  });

  it('refuses an unknown authority with what to set, and trusts NODE_EXTRA_CA_CERTS or the config file\'s http.caFile', async () => {
    const refused = await check(undefined);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /The secure connection to https:\/\/127\.0\.0\.1:\d+ failed: the server's certificate was not accepted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)\. .*"http\.caFile" in the config file, or NODE_EXTRA_CA_CERTS\./);
    const extra = await check(undefined, { NODE_EXTRA_CA_CERTS: testCaFile });
    assert.equal(extra.code, 0, extra.stderr);
    assert.match(extra.stdout, /Identity/);
    const configured = await check({ caFile: testCaFile });
    assert.equal(configured.code, 0, configured.stderr);
    const unchecked = await check({ strictSSL: false });
    assert.equal(unchecked.code, 0, unchecked.stderr);
  });

  it('a relative http.caFile is found beside the config file', async () => {
    const env: NodeJS.ProcessEnv = { ...cliSandbox({ profiles: [profile()], http: { caFile: 'company-ca.pem' } }), ...noProxyEnv, ZSTACK_PASSWORD: WORLD.submitter.password };
    copyFileSync(testCaFile, join(env.HOME!, 'company-ca.pem'));
    const run = await runCli(env, ['--profile', 'zs', 'check']);
    assert.equal(run.code, 0, run.stderr);
  });

  for (const [https, no] of [['HTTPS_PROXY', 'NO_PROXY'], ['https_proxy', 'no_proxy']]) {
    it(`goes through ${https}, and around it for a host in ${no}`, async () => {
      const through = await check({ caFile: testCaFile }, { [https]: proxy.url });
      assert.equal(through.code, 0, through.stderr);
      assert.ok(tunnelled() > 0, `the proxy carried ${proxy.carried.join(', ') || 'nothing'}`);
      proxy.carried.length = 0;
      const around = await check({ caFile: testCaFile }, { [https]: proxy.url, [no]: 'example.com,127.0.0.1' });
      assert.equal(around.code, 0, around.stderr);
      assert.equal(tunnelled(), 0);
    });
  }

  it("the config file's http.proxy and http.noProxy work like VS Code's settings", async () => {
    const through = await check({ caFile: testCaFile, proxy: proxy.url });
    assert.equal(through.code, 0, through.stderr);
    assert.ok(tunnelled() > 0);
    proxy.carried.length = 0;
    const around = await check({ caFile: testCaFile, proxy: proxy.url, noProxy: [`127.0.0.1:${front.port}`] });
    assert.equal(around.code, 0, around.stderr);
    assert.equal(tunnelled(), 0);
  });

  it('an unknown key in the http section, or a proxy that is no URL, is a configuration error (exit 2)', async () => {
    const typo = await check({ proxyUrl: proxy.url });
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /Config file .*config\.json: http: Unrecognized key: "proxyUrl"/);
    const bad = await check({ proxy: 'proxy.example.com:8080' });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /The proxy "proxy\.example\.com:8080" is not a valid proxy URL \(.*\): set it as http:\/\/host:port \(http\.proxy in VS Code, or HTTPS_PROXY \/ HTTP_PROXY\), or clear it\./);
  });
});
