import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/core/backend/backend';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import { DbTicketsError, type ErrorKind } from '../../src/core/errors';
import { openDmsBackend } from '../../src/backends/dms/openDms';
import { openHuaweiBackend } from '../../src/backends/huawei/openHuawei';
import { openZStackBackend } from '../../src/backends/zstack/openZStack';
import { FakeDms, type Fault as DmsFault } from '../fakes/dms/fakeDms';
import { dmsDraft } from '../fakes/dms/harness';
import type { Fault as OsmFault, Operation as OsmOperation } from '../fakes/huawei/faults';
import { ACCESS_KEY, DOMAIN_ID, IAM_USER, startFakeOsm } from '../fakes/huawei/harness';
import { DB_CHANGE_API, startFakeZStack, WORLD, type Fault as ZStackFault, type Operation as ZStackOperation } from '../fakes/zstack/harness';
import { baseDraft } from './conformance';

/**
 * Every cloud backend × operation × fault: the error says what happened (a DbTicketsError of a fitting kind, with the
 * service's request id where it gave one), retries are bounded and never repeat a write that may have been carried
 * out, nothing outlasts its timeout, and a failed submit can be repeated with the same draft without a second ticket.
 * The Local backend has no network and is not part of it.
 */

type Op = 'submit' | 'list' | 'get' | 'act' | 'download';
type FaultName = 'unreachable' | 'dns' | 'tls' | 'slow' | 'lostAfterCommit' | 'reset' | '500' | '503' | 'throttle' | 'malformed' | 'wrongShape' | 'expired' | 'skew';

/** Faults of the endpoint itself: the backend is opened on another address, and healed by reopening it on the fake's. */
const endpointFaults: readonly FaultName[] = ['unreachable', 'dns', 'tls'];
/** Faults after which a write may have been carried out: it must not be sent again. */
const ambiguous: readonly FaultName[] = ['slow', 'lostAfterCommit', 'reset', '500', '503', 'malformed', 'wrongShape'];
const writes: readonly Op[] = ['submit', 'act'];

const timeoutMs = 1_000;
/** Attempts of one call in all (the retry policy's 3, plus one after a new session or token). */
const maxAttempts = 4;
/** Each cell ends within the timeout × attempts plus this. */
const slackMs = 4_000;

/** What a cell must produce: success, or an error of one of these kinds. */
type Expected = { ok: true } | { kinds: readonly ErrorKind[] };

interface Rig {
  /** The backend under the fault. */
  backend: Backend;
  /** A backend on the healthy fake, sharing `backend`'s local store. */
  healthy(): Backend;
  draft(): TicketDraft;
  /** A ticket to read or act on (an export with its result ready where the operation downloads). */
  seed(op: Op): Promise<string>;
  inject(op: Op, fault: FaultName): void;
  heal(): void;
  /** Requests of the operation's service call that reached the service. */
  sent(op: Op): number;
  /** Distinct writes of the operation the service could have carried out. */
  committed(op: Op): number;
  tickets(): number;
  /** Whether the service returned a request id the message should carry. */
  requestIdOf(fault: FaultName): boolean;
  close(): Promise<void>;
}

interface Subject {
  name: string;
  ops: readonly Op[];
  faults: readonly FaultName[];
  rig(fault: FaultName, endpoint?: string): Promise<Rig>;
  /** Cells (`op·fault`) that succeed: the backend recovers, or takes the answer as it is. */
  recovers: readonly string[];
  /** Kinds other than the fault's default, by `op·fault`. */
  kinds: Readonly<Record<string, readonly ErrorKind[]>>;
}

const defaultKinds: Record<FaultName, readonly ErrorKind[]> = {
  unreachable: ['unavailable'],
  dns: ['unavailable'],
  tls: ['unavailable'],
  slow: ['unavailable'],
  lostAfterCommit: ['unavailable'],
  reset: ['unavailable'],
  '500': ['unavailable'],
  '503': ['unavailable'],
  throttle: ['throttled'],
  malformed: ['unavailable'],
  wrongShape: ['unavailable'],
  expired: ['auth'],
  skew: ['config'],
};

const tlsDir = join(__dirname, '..', 'fakes', 'tls');
const cleanups: Array<() => Promise<void>> = [];

/** An address for an endpoint fault: nothing listening, a name that does not resolve, or a certificate nobody trusts. */
async function faultyEndpoint(fault: FaultName): Promise<string | undefined> {
  if (fault === 'dns') return 'https://no-such-host.invalid';
  if (fault !== 'unreachable' && fault !== 'tls') return undefined;
  const server: Server =
    fault === 'tls'
      ? (createHttpsServer({ cert: readFileSync(join(tlsDir, 'loopback-cert.pem')), key: readFileSync(join(tlsDir, 'loopback-key.pem')) }, (_req, res) => res.end('{}')) as unknown as Server)
      : createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  if (fault === 'unreachable') await new Promise<void>((resolve) => server.close(() => resolve()));
  else cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `${fault === 'tls' ? 'https' : 'http'}://127.0.0.1:${port}`;
}

// --- DMS -------------------------------------------------------------------------------------------------------------

const dmsActions: Record<Op, string> = { submit: 'CreateOrder', list: 'ListOrders', get: 'GetOrderBaseInfo', act: 'CloseOrder', download: 'GetDataExportDownloadURL' };
const dmsFaults: Partial<Record<FaultName, Omit<DmsFault, 'action'>>> = {
  slow: { kind: 'delay', delayMs: timeoutMs + 300 },
  lostAfterCommit: { kind: 'dropAfterCommit' },
  reset: { kind: 'reset' },
  '500': { kind: '5xx', status: 500 },
  '503': { kind: '5xx', status: 503 },
  throttle: { kind: 'throttle', retryAfterMs: 100 },
  malformed: { kind: 'malformed' },
  wrongShape: { kind: 'emptySuccess' },
};
const stsKey = { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret-0123456789', securityToken: 'sts-token-current' };

const dms: Subject = {
  name: 'dms',
  ops: ['submit', 'list', 'get', 'act', 'download'],
  faults: ['unreachable', 'dns', 'tls', 'slow', 'lostAfterCommit', 'reset', '500', '503', 'throttle', 'malformed', 'wrongShape', 'expired', 'skew'],
  recovers: ['submit·slow', 'submit·lostAfterCommit', 'submit·malformed', 'list·wrongShape', 'get·wrongShape', 'act·wrongShape'],
  kinds: { 'download·wrongShape': ['conflict'] },
  async rig(fault, endpoint) {
    const fake = new FakeDms();
    await fake.start();
    fake.addAccessKey(stsKey.accessKeyId, { secret: stsKey.accessKeySecret, securityToken: stsKey.securityToken }, '101');
    const storeDir = mkdtempSync(join(tmpdir(), 'dms-store-'));
    const opened: Backend[] = [];
    const open = (url: string, keys: Record<string, string>) => {
      const backend = openDmsBackend(
        { name: 'dms-faults', backend: 'dms', endpoint: url, timeoutMs },
        { storeDir, secret: async (_profile, field) => keys[field], env: {}, homeDir: mkdtempSync(join(tmpdir(), 'dms-home-')) },
        { settleMs: 20, lagWaitMs: 1_000, pollMs: 5, precheckWaitMs: 2_000, executeWaitMs: 2_000 },
      );
      opened.push(backend);
      return backend;
    };
    const healthy = () => open(fake.url, stsKey);
    let faults: DmsFault[] = [];
    const attemptsOf = (action: string) => fake.callsOf(action).length + fake.rejections.filter((r) => r.action === action && r.code !== 'UnknownError').length;
    return {
      backend: open(endpoint ?? fake.url, fault === 'expired' ? { ...stsKey, securityToken: 'sts-token-expired' } : stsKey),
      healthy,
      draft: () => dmsDraft(),
      async seed(op) {
        const { id } = await healthy().submit(dmsDraft());
        if (op === 'download') Object.assign(fake.orders.find((o) => String(o.OrderId) === id)!, { executed: true, StatusCode: 'success' });
        return id;
      },
      inject(op, name) {
        if (name === 'skew') fake.clock = () => new Date(Date.now() + 20 * 60_000);
        const spec = dmsFaults[name];
        if (spec) faults = [{ ...spec, action: dmsActions[op], times: 99 }];
        faults.forEach((f) => fake.inject(f));
      },
      heal() {
        fake.clearFaults();
        fake.clock = () => new Date();
      },
      sent: (op) => attemptsOf(dmsActions[op]),
      committed: (op) => fake.callsOf(dmsActions[op]).length,
      tickets: () => fake.orders.length,
      requestIdOf: (name) => ['500', '503', 'throttle', 'malformed', 'expired', 'skew'].includes(name),
      close: async () => {
        await Promise.all(opened.map((b) => b.dispose()));
        await fake.stop();
      },
    };
  },
};

// --- Huawei Cloud ----------------------------------------------------------------------------------------------------

const RDS_PRODUCT = 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21';
const SQL_PROBLEM = '0f1e2d3c4b5a49687766554433221101';

const osmOperations: Record<Op, OsmOperation> = { submit: 'createCase', list: 'listCases', get: 'showCase', act: 'action', download: 'downloadAttachment' };
const osmFaults: Partial<Record<FaultName, Omit<OsmFault, 'operation'>>> = {
  slow: { kind: 'delay', delayMs: timeoutMs + 300 },
  lostAfterCommit: { kind: 'dropAfterCommit' },
  reset: { kind: 'reset' },
  '500': { kind: '5xx', status: 500 },
  '503': { kind: '5xx', status: 503 },
  throttle: { kind: 'throttle', retryAfterMs: 1 },
  malformed: { kind: 'malformed' },
  wrongShape: { kind: 'wrongShape' },
  expired: { kind: 'tokenExpired' },
  skew: { kind: 'skew' },
};

const huawei: Subject = {
  name: 'huawei',
  ops: ['submit', 'list', 'get', 'act'],
  faults: ['unreachable', 'dns', 'tls', 'slow', 'lostAfterCommit', 'reset', '500', '503', 'throttle', 'malformed', 'wrongShape', 'expired', 'skew'],
  recovers: ['submit·slow', 'submit·lostAfterCommit', 'submit·malformed', 'submit·wrongShape', 'list·wrongShape', 'act·wrongShape'],
  kinds: {},
  async rig(fault, endpoint) {
    const fake = await startFakeOsm();
    const opened: Backend[] = [];
    // The expired-token cell logs in as an IAM user; the others sign with the access key.
    const token = fault === 'expired';
    const storeDir = mkdtempSync(join(tmpdir(), 'hw-store-'));
    const open = (osm: string, iam: string) => {
      const backend = openHuaweiBackend(
        {
          name: 'hw-faults',
          backend: 'huawei',
          endpoint: osm,
          iamEndpoint: iam,
          domainId: DOMAIN_ID,
          productCategoryId: RDS_PRODUCT,
          businessTypeId: SQL_PROBLEM,
          ...(token ? { auth: 'token', domainName: IAM_USER.domainName, userName: IAM_USER.userName } : {}),
        },
        { storeDir, secret: async () => undefined, env: { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk, HUAWEICLOUD_SDK_PASSWORD: IAM_USER.password }, language: 'en' },
        { timeoutMs, settleMs: 50, lagWaitMs: 1_000, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200 } },
      );
      opened.push(backend);
      return backend;
    };
    const healthy = () => open(fake.url, fake.iamUrl);
    const requests = (op: Op) => fake.requests.filter((r) => r.server === 'osm' && r.operation === osmOperations[op]);
    return {
      backend: open(endpoint ?? fake.url, endpoint ?? fake.iamUrl),
      healthy,
      draft: () => baseDraft(),
      seed: async () => (await healthy().submit(baseDraft())).id,
      inject(op, name) {
        const spec = osmFaults[name];
        if (spec) fake.injectFault({ ...spec, operation: osmOperations[op], times: 99 });
      },
      heal: () => fake.faults.clear(),
      sent: (op) => requests(op).length,
      committed: (op) => requests(op).filter((r) => r.verified && !['reset', 'throttle', '5xx', 'skew', 'tokenExpired'].includes(r.fault ?? '')).length,
      tickets: () => fake.cases.all.length,
      requestIdOf: (name) => ['500', '503', 'throttle', 'expired', 'skew'].includes(name),
      close: async () => {
        await Promise.all(opened.map((b) => b.dispose()));
        await fake.stop();
      },
    };
  },
};

// --- ZStack ----------------------------------------------------------------------------------------------------------

const zstackOperations: Record<Op, ZStackOperation> = { submit: 'CreateTicket', list: 'QueryTicket', get: 'QueryTicket', act: 'ChangeTicketStatus', download: 'QueryTicket' };
const zstackFaults: Partial<Record<FaultName, Omit<ZStackFault, 'operation'>>> = {
  slow: { kind: 'delay', delayMs: timeoutMs + 300 },
  lostAfterCommit: { kind: 'lost202' },
  reset: { kind: 'reset' },
  '500': { kind: 'plain5xx', status: 500 },
  '503': { kind: 'plain5xx', status: 503 },
  throttle: { kind: 'throttle', retryAfterMs: 1_000 },
  malformed: { kind: 'malformed' },
  wrongShape: { kind: 'wrongShape' },
  expired: { kind: 'sessionExpired' },
};
const zstackRequest = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 };

const zstack: Subject = {
  name: 'zstack',
  ops: ['submit', 'list', 'get', 'act'],
  // ZStack signs no timestamps: there is no clock skew to refuse.
  faults: ['unreachable', 'dns', 'tls', 'slow', 'lostAfterCommit', 'reset', '500', '503', 'throttle', 'malformed', 'wrongShape', 'expired'],
  recovers: ['submit·slow', 'submit·lostAfterCommit', 'submit·malformed', 'submit·wrongShape', 'act·slow', 'act·lostAfterCommit', 'act·malformed', 'act·wrongShape', 'list·wrongShape'],
  kinds: { 'get·wrongShape': ['not_found'] },
  async rig(_fault, endpoint) {
    const fake = await startFakeZStack();
    const opened: Backend[] = [];
    const open = (url: string) => {
      const backend = openZStackBackend(
        { name: 'zs-faults', backend: 'zstack', endpoint: url, loginAs: 'iam2', username: WORLD.submitter.name, project: WORLD.project.name, request: zstackRequest },
        { secret: async () => undefined, env: { ZSTACK_PASSWORD: WORLD.submitter.password } },
        { pollMs: 20, jobWaitMs: 2_000, timeoutMs },
      );
      opened.push(backend);
      return backend;
    };
    const healthy = () => open(fake.url);
    const requests = (op: Op) => fake.requestsOf(zstackOperations[op]);
    return {
      backend: open(endpoint ?? fake.url),
      healthy,
      draft: () => baseDraft({ kind: 'DATA_CHANGE', sql: "UPDATE orders SET state = 'paid' WHERE id = 42" }),
      seed: async () => (await healthy().submit(baseDraft({ kind: 'DATA_CHANGE', sql: "UPDATE orders SET state = 'paid' WHERE id = 42" }))).id,
      inject(op, name) {
        const spec = zstackFaults[name];
        if (spec) fake.injectFault({ ...spec, operation: zstackOperations[op], times: 99 });
      },
      heal: () => fake.clearFaults(),
      sent: (op) => requests(op).length,
      // A write is sent again only with its own X-Job-UUID, which the service runs at most once.
      committed: (op) => new Set(requests(op).map((r) => r.jobUuid).filter(Boolean)).size,
      tickets: () => fake.tickets.length,
      requestIdOf: () => false,
      close: async () => {
        await Promise.all(opened.map((b) => b.dispose()));
        await fake.stop();
      },
    };
  },
};

// --- the matrix ------------------------------------------------------------------------------------------------------

async function perform(backend: Backend, op: Op, id: string | undefined, draft: TicketDraft | undefined): Promise<void> {
  switch (op) {
    case 'submit':
      await backend.submit(draft!);
      return;
    case 'list':
      await backend.list({ scope: 'mine' }, { size: 10 });
      return;
    case 'get':
      await backend.get(id!);
      return;
    case 'act':
      await backend.act(id!, { action: 'cancel', comment: 'no longer needed' });
      return;
    case 'download':
      await backend.download(id!, { path: join(mkdtempSync(join(tmpdir(), 'fault-download-')), 'result.zip') });
  }
}

async function runCell(subject: Subject, op: Op, fault: FaultName): Promise<void> {
  const endpoint = await faultyEndpoint(fault);
  const rig = await subject.rig(fault, endpoint);
  try {
    const id = op === 'submit' || op === 'list' ? undefined : await rig.seed(op);
    const draft = op === 'submit' ? rig.draft() : undefined;
    const ticketsBefore = rig.tickets();
    const sentBefore = rig.sent(op);
    const committedBefore = rig.committed(op);
    rig.inject(op, fault);
    const started = Date.now();
    const error = await perform(rig.backend, op, id, draft).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    rig.heal();
    const sent = rig.sent(op) - sentBefore;
    const committed = rig.committed(op) - committedBefore;

    assert.ok(elapsed < timeoutMs * maxAttempts + slackMs, `took ${elapsed} ms`);
    const cell = `${op}·${fault}`;
    const expected: Expected = subject.recovers.includes(cell) ? { ok: true } : { kinds: subject.kinds[cell] ?? defaultKinds[fault] };
    if ('ok' in expected) {
      assert.equal(error, undefined, `expected success, got ${String(error)}`);
    } else {
      assert.ok(error instanceof DbTicketsError, `not a DbTicketsError: ${String((error as Error)?.stack ?? error)}`);
      assert.ok(expected.kinds.includes(error.kind), `kind ${error.kind}: ${error.message}`);
      // Sentences that say what happened and what to do, not a bare code.
      assert.ok(error.message.split(/\s+/).length >= 10, error.message);
      if (rig.requestIdOf(fault)) {
        assert.ok(error.details.requestId, `no request id: ${error.message}`);
        assert.ok(error.message.includes(error.details.requestId), `the message lacks the request id: ${error.message}`);
      }
    }
    assert.ok(sent <= maxAttempts, `${sent} attempts`);
    if (writes.includes(op) && ambiguous.includes(fault)) assert.ok(committed <= 1, `the write was carried out ${committed} times`);
    if (endpointFaults.includes(fault)) assert.equal(sent, 0, 'a request reached the service');

    if (op === 'submit') {
      // The fault gone, the same draft again: one ticket in all.
      const again = endpointFaults.includes(fault) || fault === 'expired' ? rig.healthy() : rig.backend;
      const { id: ticket } = await again.submit(draft!);
      assert.equal(rig.tickets(), ticketsBefore + 1, 'tickets created');
      const { id: repeated } = await again.submit(draft!);
      assert.equal(repeated, ticket);
    }
  } finally {
    await rig.close();
    await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
  }
}

const counts = new Map<string, { passed: number; failed: number }>();

describe('fault matrix', function () {
  this.timeout(timeoutMs * maxAttempts + slackMs + 10_000);

  for (const subject of [dms, huawei, zstack]) {
    describe(subject.name, () => {
      const tally = { passed: 0, failed: 0 };
      counts.set(subject.name, tally);
      afterEach(function () {
        if (this.currentTest?.state === 'passed') tally.passed++;
        else if (this.currentTest?.state === 'failed') tally.failed++;
      });
      for (const op of subject.ops) {
        for (const fault of subject.faults) {
          it(`${subject.name} · ${op} · ${fault}`, () => runCell(subject, op, fault));
        }
      }
    });
  }

  after(() => {
    let cells = 0;
    let passed = 0;
    let failed = 0;
    for (const [name, tally] of counts) {
      const n = tally.passed + tally.failed;
      console.log(`fault matrix · ${name}: ${n} cells, ${tally.passed} passed, ${tally.failed} failed`);
      cells += n;
      passed += tally.passed;
      failed += tally.failed;
    }
    console.log(`fault matrix: ${cells} cells, ${passed} passed, ${failed} failed`);
  });
});
