import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { secretKey } from '../../src/backends/profiles';
import type { Backend } from '../../src/core/backend/backend';
import type { Backends } from '../../src/vscode/profiles/backends';
import { DB_CHANGE_API, type FakeZStack, startFakeZStack, WORLD } from '../fakes/zstack/harness';
import { type RunningProxy, startForwardProxy } from '../support/forwardProxy';
import { testCaFile, tlsFront } from '../support/tlsFront';
import { useTicketsFixture } from './fixture';

/**
 * VS Code's http.proxy, http.noProxy and http.proxyStrictSSL and the extension's dbTickets.http.caFile, changed in
 * the settings while the extension runs: the next request of a cloud backend follows them, without a reload.
 */
describe('Network settings in the extension (fake ZStack behind a proxy and a private CA)', function () {
  this.timeout(120_000);
  let fake: FakeZStack;
  let front: Awaited<ReturnType<typeof tlsFront>>;
  let proxy: RunningProxy;
  before(async () => {
    fake = await startFakeZStack();
    front = await tlsFront(fake.url);
    proxy = await startForwardProxy();
  });
  const http = () => vscode.workspace.getConfiguration('http');
  const settings: Array<[string, string]> = [['http', 'proxy'], ['http', 'noProxy'], ['http', 'proxyStrictSSL'], ['dbTickets', 'http.caFile']];
  const set = (section: string, key: string, value: unknown) => vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  after(async () => {
    for (const [section, key] of settings) await set(section, key, undefined);
    await proxy.close();
    await front.close();
    await fake.stop();
  });
  const profile = (name: string, endpoint: () => string) => ({ name, backend: 'zstack', endpoint: endpoint(), loginAs: 'iam2', username: WORLD.submitter.name, project: WORLD.project.name, request: { apiName: DB_CHANGE_API } });
  const suite = useTicketsFixture({
    profiles: () => [profile('zs-plain', () => fake.url), profile('zs-tls', () => front.url)],
    secrets: new Map([
      [secretKey('zs-plain', 'password'), WORLD.submitter.password],
      [secretKey('zs-tls', 'password'), WORLD.submitter.password],
    ]),
  });
  let backends: Backends;
  before(() => ({ backends } = suite()));
  /** The profile's backend as the extension has it now: the settings' changes open the backends anew. */
  const backend = (name: string): Promise<Backend> => backends.get(backends.profiles().find((p) => p.name === name)!);
  const through = (url: string) => proxy.carried.filter((target) => target === new URL(url).host).length;

  it('http.proxy sends the requests through the proxy, and http.noProxy (a CIDR range) around it', async () => {
    assert.equal(http().get('proxy'), '', 'no proxy to begin with');
    await (await backend('zs-plain')).check!();
    assert.equal(through(fake.url), 0);

    await set('http', 'proxy', proxy.url);
    await (await backend('zs-plain')).check!();
    const proxied = through(fake.url);
    assert.ok(proxied > 0, `the proxy carried ${proxy.carried.join(', ') || 'nothing'}`);

    await set('http', 'noProxy', ['127.0.0.0/8']);
    await (await backend('zs-plain')).check!();
    assert.equal(through(fake.url), proxied, 'nothing more went through the proxy');
    await set('http', 'noProxy', undefined);
    await set('http', 'proxy', undefined);
  });

  it('an unknown authority is refused, saying which setting to set; dbTickets.http.caFile or http.proxyStrictSSL off lets it through', async () => {
    await assert.rejects(
      async () => (await backend('zs-tls')).check!(),
      (error: Error) => /certificate was not accepted .* name its PEM file in the CA file setting: dbTickets\.http\.caFile in VS Code/.test(error.message),
    );
    await set('dbTickets', 'http.caFile', testCaFile);
    const check = await (await backend('zs-tls')).check!();
    assert.ok(check.facts.some((f) => f.label === 'Identity'));

    await set('dbTickets', 'http.caFile', undefined);
    await set('http', 'proxyStrictSSL', false);
    await (await backend('zs-tls')).check!();
    await set('http', 'proxyStrictSSL', undefined);
    await assert.rejects(async () => (await backend('zs-tls')).check!(), /certificate was not accepted/);
  });
});
