import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDmsBackend } from '../../../src/backends/dms/openDms';
import { openHuaweiBackend } from '../../../src/backends/huawei/openHuawei';
import { openZStackBackend } from '../../../src/backends/zstack/openZStack';
import type { Backend } from '../../../src/core/backend/backend';
import { DbTicketsError } from '../../../src/core/errors';
import type { NetSettings } from '../../../src/net/dispatcher';
import { dmsDraft, startFake } from '../../fakes/dms/harness';
import { ACCESS_KEY, startFakeOsm } from '../../fakes/huawei/harness';
import { FakeOss } from '../../fakes/oss/fakeOss';
import { DB_CHANGE_API, startFakeZStack, WORLD } from '../../fakes/zstack/harness';
import { type RunningProxy, startForwardProxy } from '../../support/forwardProxy';
import { testCaFile, tlsFront } from '../../support/tlsFront';
import { RDS, SQL_TYPE } from '../backends/huawei/cliEnvironment';

const alice = { accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' };
const bob = { accessKeyId: 'bob-ak', accessKeySecret: 'bob-secret-0123456789' };

/**
 * One cloud service reached over TLS (its fake behind a front whose certificate comes from the test's private
 * authority): `run` does real work through a backend opened with the given network settings and checks its result.
 */
interface Service {
  name: string;
  /** Starts the fakes; returns the TLS front's port, `run`, and `stop`. */
  start(): Promise<{ port: number; run: (net: NetSettings) => Promise<void>; stop: () => Promise<void> }>;
}

/** Opens a backend, runs `work` on it, and always disposes of it. */
async function using<B extends Backend>(backend: B, work: (backend: B) => Promise<void>): Promise<void> {
  try {
    await work(backend);
  } finally {
    await backend.dispose();
  }
}

const dmsHost = (keys: typeof alice, net: NetSettings = {}) => ({
  storeDir: mkdtempSync(join(tmpdir(), 'dms-store-')),
  secret: async (_profile: string, field: string) => keys[field as keyof typeof alice],
  env: {},
  homeDir: mkdtempSync(join(tmpdir(), 'dms-home-')),
  net,
});

const services: Service[] = [
  {
    name: 'DMS (its OpenAPI)',
    async start() {
      const fake = await startFake();
      const front = await tlsFront(fake.url);
      return {
        port: front.port,
        run: (net) =>
          using(openDmsBackend({ name: 'dms', backend: 'dms', endpoint: front.url, timeoutMs: 5_000 }, dmsHost(alice, net)), async (backend) => {
            const check = await backend.check();
            assert.ok(check.facts.length > 0);
            assert.ok(fake.calls.length > 0, 'DMS was asked, and the signature held');
          }),
        stop: async () => {
          await front.close();
          await fake.stop();
        },
      };
    },
  },
  {
    name: "DMS's export download (a signed OSS link)",
    async start() {
      const fake = await startFake();
      const api = fake.url; // the API over plain HTTP: only the download link is the TLS service here
      const front = await tlsFront(fake.url);
      fake.url = front.url; // the links DMS hands out point at the TLS front
      const preparing = { name: 'dms', backend: 'dms', endpoint: api, timeoutMs: 5_000 };
      const ticket = await (async () => {
        const submitter = openDmsBackend(preparing, dmsHost(alice), { pollMs: 5, settleMs: 20 });
        const approver = openDmsBackend(preparing, dmsHost(bob), { pollMs: 5, settleMs: 20 });
        try {
          const submitted = await submitter.submit(dmsDraft());
          await approver.act(submitted.id, { action: 'approve' });
          await submitter.act(submitted.id, { action: 'execute' });
          return submitted;
        } finally {
          await Promise.all([submitter.dispose(), approver.dispose()]);
        }
      })();
      return {
        port: front.port,
        run: (net) =>
          using(openDmsBackend(preparing, dmsHost(alice, net)), async (backend) => {
            const path = join(mkdtempSync(join(tmpdir(), 'dms-dl-')), 'out.zip');
            await backend.download(ticket.id, { path });
            assert.deepEqual(readFileSync(path), fake.exportResult);
          }),
        stop: async () => {
          await front.close();
          await fake.stop();
        },
      };
    },
  },
  {
    name: "OSS (DMS's staged SQL files)",
    async start() {
      const fake = await startFake();
      const oss = new FakeOss();
      oss.addAccessKey('alice-ak', { secret: 'alice-secret-0123456789' });
      oss.addBucket('db-stage');
      await oss.start();
      const front = await tlsFront(oss.url);
      oss.url = front.url; // DMS reads the object from where the backend uploaded it
      fake.uploads.readObject = oss.reader();
      const profile = { name: 'dms', backend: 'dms', endpoint: fake.url, timeoutMs: 5_000, region: 'cn-hangzhou', ossStaging: 'oss://db-stage/tickets/', ossEndpoint: front.url };
      return {
        port: front.port,
        run: (net) =>
          using(openDmsBackend(profile, dmsHost(alice, net), { pollMs: 5, settleMs: 20 }), async (backend) => {
            const before = oss.puts().length;
            await backend.submit(dmsDraft({ kind: 'DATA_CHANGE', sql: `UPDATE prices SET amount = 1 WHERE id = 1; -- ${'x'.repeat(70_000)}\n`, estimatedRows: 1 }));
            assert.equal(oss.puts().length, before + 1);
          }),
        stop: async () => {
          await front.close();
          await oss.stop();
          await fake.stop();
        },
      };
    },
  },
  {
    name: 'Huawei Cloud OSM (and its IAM)',
    async start() {
      const fake = await startFakeOsm();
      const osm = await tlsFront(fake.url);
      const iam = await tlsFront(fake.iamUrl);
      const profile = { name: 'hw', backend: 'huawei', endpoint: osm.url, iamEndpoint: iam.url, productCategoryId: RDS, businessTypeId: SQL_TYPE };
      return {
        port: osm.port,
        run: (net) =>
          using(
            openHuaweiBackend(profile, { storeDir: mkdtempSync(join(tmpdir(), 'hw-store-')), secret: async () => undefined, env: { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk }, net }, { timeoutMs: 5_000, retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10 } }),
            async (backend) => {
              const page = await backend.list({}, { size: 5 });
              assert.deepEqual(page.items, []);
              assert.ok(fake.requests.some((r) => r.server === 'osm' && r.verified), 'OSM was asked, and the signature held');
            },
          ),
        stop: async () => {
          await Promise.all([osm.close(), iam.close()]);
          await fake.stop();
        },
      };
    },
  },
  {
    name: 'ZStack',
    async start() {
      const fake = await startFakeZStack();
      const front = await tlsFront(fake.url);
      const request = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' } };
      const profile = { name: 'zs', backend: 'zstack', endpoint: front.url, loginAs: 'iam2', username: WORLD.submitter.name, project: WORLD.project.name, request };
      return {
        port: front.port,
        run: (net) =>
          using(openZStackBackend(profile, { secret: async () => undefined, env: { ZSTACK_PASSWORD: WORLD.submitter.password }, net }, { pollMs: 20 }), async (backend) => {
            const check = await backend.check();
            assert.ok(check.facts.some((f) => f.label === 'Identity'));
          }),
        stop: async () => {
          await front.close();
          await fake.stop();
        },
      };
    },
  },
];

describe('net: every cloud backend honours the proxy and certificate settings', function () {
  this.timeout(60_000);
  let proxy: RunningProxy;
  beforeEach(async () => {
    proxy = await startForwardProxy();
  });
  afterEach(async () => {
    await proxy.close();
  });

  for (const service of services) {
    describe(service.name, () => {
      let started: Awaited<ReturnType<Service['start']>>;
      beforeEach(async () => {
        started = await service.start();
      });
      afterEach(() => started.stop());
      const tunnelled = () => proxy.carried.filter((target) => target === `127.0.0.1:${started.port}`);

      it('goes through the proxy when one is set', async () => {
        await started.run({ proxy: proxy.url, caFile: testCaFile });
        assert.ok(tunnelled().length > 0, `the proxy carried ${proxy.carried.join(', ') || 'nothing'}`);
      });

      it('goes around the proxy for a host in noProxy (a CIDR range here)', async () => {
        await started.run({ proxy: proxy.url, noProxy: ['10.0.0.0/8', '127.0.0.0/8'], caFile: testCaFile });
        assert.deepEqual(tunnelled(), []);
      });

      it('refuses a certificate from an unknown authority, saying to set the CA file', async () => {
        await assert.rejects(started.run({}), (error: DbTicketsError) => {
          assert.ok(error instanceof DbTicketsError, String(error));
          assert.match(error.message, /certificate was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/);
          assert.match(error.message, /private certificate authority, name its PEM file in the CA file setting: dbTickets\.http\.caFile in VS Code; for the command line "http\.caFile" in the config file, or NODE_EXTRA_CA_CERTS/);
          return true;
        });
      });

      it('trusts the server once its authority is the CA file', async () => {
        await started.run({ caFile: testCaFile });
      });

      it('accepts any certificate when certificate checks are off (http.proxyStrictSSL false)', async () => {
        await started.run({ strictSSL: false });
      });
    });
  }
});
