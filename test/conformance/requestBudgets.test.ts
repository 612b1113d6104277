import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../../src/core/backend/backend';
import { ticketHeadline } from '../../src/core/backend/ticketHeadline';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import { openHuaweiBackend } from '../../src/backends/huawei/openHuawei';
import { openZStackBackend } from '../../src/backends/zstack/openZStack';
import type { FakeDms } from '../fakes/dms/fakeDms';
import { dmsDraft, dmsOn, startFake } from '../fakes/dms/harness';
import type { FakeOsm } from '../fakes/huawei/fakeOsm';
import { ACCESS_KEY, DOMAIN_ID, startFakeOsm } from '../fakes/huawei/harness';
import { DB_CHANGE_API, type FakeZStack, startFakeZStack, WORLD } from '../fakes/zstack/harness';
import { baseDraft } from './conformance';

/**
 * Requests per operation (docs/benchmarks.md, "Requests per operation"): every operation of every cloud backend runs
 * against its fake, which records each request that reaches it, and the requests are counted and named. Cold is the
 * first operation of a freshly opened backend (a CLI run, with its logins); warm is the same operation again on that
 * backend (the extension keeps its backends open). This table and the one in the docs say the same.
 */

/** One service and its fake, with the backends a row opens on it. */
interface Rig<F> {
  fake: F;
  /** A backend as a new process opens it, as `who` (default: the submitter), sharing the submitter's local store. */
  open(who?: string): Backend;
  /** The names of every request that reached the service so far, in order. */
  log(): string[];
  close(): Promise<void>;
}

interface Row<F> {
  op: string;
  /** Who runs the operation (default: the submitter). */
  as?: string;
  /** Makes what the operation works on, with other backends (not counted); `backend` is the one under test. */
  setup?: (rig: Rig<F>, backend: Backend) => Promise<string>;
  run: (backend: Backend, arg: string, rig: Rig<F>) => Promise<unknown>;
  /** The requests of the first operation of a fresh backend, and of the same operation again on it. */
  cold: readonly string[];
  warm?: readonly string[];
  /** The second time works on the same ticket (a second look), not on a new one. */
  again?: 'same ticket';
}

/** A draft submitted a second time: what the service is asked to find the ticket the first submit made. */
function sameDraftAgain<F>(op: string, draft: () => TicketDraft, cold: readonly string[]): Row<F> {
  return {
    op,
    setup: async (rig) => {
      const first = draft();
      await rig.open().submit(first);
      return JSON.stringify(first);
    },
    run: (backend, first) => backend.submit(JSON.parse(first) as TicketDraft),
    cold,
  };
}

async function counted<F>(rig: Rig<F>, row: Row<F>, backend: Backend, arg: string): Promise<string[]> {
  const before = rig.log().length;
  await row.run(backend, arg, rig);
  return rig.log().slice(before);
}

function budgets<F>(name: string, start: () => Promise<Rig<F>>, rows: ReadonlyArray<Row<F>>): void {
  describe(`requests per operation: ${name}`, function () {
    this.timeout(60_000);
    for (const row of rows) {
      it(`${name} · ${row.op}: ${row.cold.length} cold${row.warm ? `, ${row.warm.length} warm` : ''}`, async () => {
        const rig = await start();
        try {
          const backend = rig.open(row.as);
          const arg = (await row.setup?.(rig, backend)) ?? '';
          const cold = await counted(rig, row, backend, arg);
          const warm = row.warm ? await counted(rig, row, backend, row.again ? arg : ((await row.setup?.(rig, backend)) ?? '')) : undefined;
          assert.deepEqual(
            { cold: sorted(cold), warm: warm && sorted(warm) },
            { cold: sorted(row.cold), warm: row.warm && sorted(row.warm) },
            `cold: ${cold.join(', ')}${warm ? ` | warm: ${warm.join(', ')}` : ''}`,
          );
        } finally {
          await rig.close();
        }
      });
    }
  });
}

/** Requests sent in parallel arrive in any order: compared as a multiset. */
function sorted(names: readonly string[]): string[] {
  return [...names].sort();
}

/** An action the backend refuses without asking the service. */
async function refused(action: Promise<unknown>): Promise<void> {
  await assert.rejects(action, /comment/i);
}

function download(backend: Backend, id: string) {
  return backend.download(id, { path: join(mkdtempSync(join(tmpdir(), 'budget-download-')), 'result.zip') });
}

// --- DMS -------------------------------------------------------------------------------------------------------------

const dmsKeys: Record<string, { accessKeyId: string; accessKeySecret: string }> = {
  alice: { accessKeyId: 'alice-ak', accessKeySecret: 'alice-secret-0123456789' },
  bob: { accessKeyId: 'bob-ak', accessKeySecret: 'bob-secret-0123456789' },
};

/** A rig on `fake`: backends opened by `open` are disposed with it, and `name` says what each request was. */
function rigOn<F extends { stop(): Promise<void> }>(fake: F, open: (who?: string) => Backend, names: () => string[]): Rig<F> {
  const opened: Backend[] = [];
  return {
    fake,
    open: (who) => {
      const backend = open(who);
      opened.push(backend);
      return backend;
    },
    log: names,
    close: async () => {
      await Promise.all(opened.map((b) => b.dispose()));
      await fake.stop();
    },
  };
}

async function dmsRig(): Promise<Rig<FakeDms>> {
  const fake = await startFake();
  const storeDir = mkdtempSync(join(tmpdir(), 'dms-budget-'));
  return rigOn(fake, (who = 'alice') => dmsOn(fake, {}, dmsKeys[who], undefined, who === 'alice' ? { storeDir } : {}), () => fake.requests.map((r) => r.action));
}

const change = () => dmsDraft({ kind: 'DATA_CHANGE', title: 'Tag a customer', sql: "UPDATE customers SET note = 'vip' WHERE id = 1" });
const design = () => dmsDraft({ kind: 'SCHEMA_CHANGE', title: 'Add a note column', sql: 'ALTER TABLE customers ADD COLUMN note VARCHAR(20)' });
/** A ticket submitted from another process; `approved` has bob approve it, `executed` alice run it too. */
async function dmsTicket(rig: Rig<FakeDms>, draft: TicketDraft = dmsDraft(), stage: 'submitted' | 'approved' | 'executed' = 'submitted'): Promise<string> {
  const { id } = await rig.open().submit(draft);
  if (stage !== 'submitted') await rig.open('bob').act(id, { action: 'approve' });
  if (stage === 'executed') await rig.open().act(id, { action: 'execute' });
  return id;
}

/** GetOrderBaseInfo, then what it points to: the approval chain and the export's detail and precheck findings. */
const exportDetail = ['GetOrderBaseInfo', 'GetApprovalDetail', 'GetDataExportOrderDetail', 'GetDataExportPreCheckDetail'];
const changeDetail = ['GetOrderBaseInfo', 'GetApprovalDetail', 'GetDataCorrectOrderDetail'];

budgets('dms', dmsRig, [
  {
    op: 'create · data export, database by name',
    run: (b) => b.submit(dmsDraft()),
    cold: ['ListOrders', 'SearchDatabase', 'CreateOrder', 'GetDataExportOrderDetail', 'SubmitOrderApproval'],
    warm: ['ListOrders', 'CreateOrder', 'GetDataExportOrderDetail', 'SubmitOrderApproval'],
  },
  {
    op: 'create · data export whose precheck ends at the second poll',
    setup: async (rig) => ((rig.fake.precheckPolls = 1), ''),
    run: (b) => b.submit(dmsDraft()),
    cold: ['ListOrders', 'SearchDatabase', 'CreateOrder', 'GetDataExportOrderDetail', 'GetDataExportOrderDetail', 'SubmitOrderApproval'],
  },
  {
    op: 'create · data change',
    run: (b) => b.submit(change()),
    cold: ['ListOrders', 'SearchDatabase', 'CreateDataCorrectOrder', 'GetDataCorrectOrderDetail', 'SubmitOrderApproval'],
    warm: ['ListOrders', 'CreateDataCorrectOrder', 'GetDataCorrectOrderDetail', 'SubmitOrderApproval'],
  },
  { op: 'create · schema change (NDDL)', run: (b) => b.submit(design()), cold: ['ListOrders', 'SearchDatabase', 'CreateOrder', 'SubmitOrderApproval'], warm: ['ListOrders', 'CreateOrder', 'SubmitOrderApproval'] },
  sameDraftAgain('create · the same draft again (resumed from the journal)', dmsDraft, ['GetOrderBaseInfo']),
  { op: 'list · my tickets, one page', setup: (rig) => dmsTicket(rig), run: (b) => b.list({ scope: 'mine' }, { size: 50 }), cold: ['GetUser', 'ListOrders'], warm: ['ListOrders'] },
  { op: 'show · data export awaiting approval', setup: (rig) => dmsTicket(rig), run: (b, id) => b.get(id), cold: [...exportDetail, 'GetUser'], warm: exportDetail.slice(0, 3), again: 'same ticket' },
  { op: 'show · data change awaiting approval', setup: (rig) => dmsTicket(rig, change()), run: (b, id) => b.get(id), cold: [...changeDetail, 'GetUser'], warm: changeDetail, again: 'same ticket' },
  {
    op: 'show · data export done (an approver to name)',
    setup: (rig) => dmsTicket(rig, dmsDraft(), 'executed'),
    run: (b, id) => b.get(id),
    cold: [...exportDetail, 'GetUser', 'GetUser'],
    warm: exportDetail.slice(0, 3),
    again: 'same ticket',
  },
  { op: 'watch tick', setup: (rig) => dmsTicket(rig), run: (b, id) => ticketHeadline(b, id), cold: ['GetOrderBaseInfo'], warm: ['GetOrderBaseInfo'], again: 'same ticket' },
  {
    op: 'approve',
    as: 'bob',
    setup: (rig) => dmsTicket(rig),
    run: (b, id) => b.act(id, { action: 'approve', comment: 'ok' }),
    cold: ['GetOrderBaseInfo', 'ApproveOrder', ...exportDetail, 'GetUser'],
    warm: ['GetOrderBaseInfo', 'ApproveOrder', ...exportDetail],
  },
  {
    op: 'approve · a ticket this process has shown',
    as: 'bob',
    setup: async (rig, backend) => {
      const id = await dmsTicket(rig);
      await backend.get(id);
      return id;
    },
    run: (b, id) => b.act(id, { action: 'approve' }),
    cold: ['ApproveOrder', ...exportDetail.slice(0, 3)],
  },
  {
    op: 'reject',
    as: 'bob',
    setup: (rig) => dmsTicket(rig),
    run: (b, id) => b.act(id, { action: 'reject', comment: 'no' }),
    cold: ['GetOrderBaseInfo', 'ApproveOrder', ...exportDetail, 'GetUser'],
    warm: ['GetOrderBaseInfo', 'ApproveOrder', ...exportDetail],
  },
  { op: 'cancel', setup: (rig) => dmsTicket(rig), run: (b, id) => b.act(id, { action: 'cancel' }), cold: ['CloseOrder', ...exportDetail, 'GetUser', 'GetUser'], warm: ['CloseOrder', ...exportDetail] },
  { op: 'close', setup: (rig) => dmsTicket(rig), run: (b, id) => b.act(id, { action: 'close', comment: 'done' }), cold: ['CloseOrder', ...exportDetail, 'GetUser', 'GetUser'], warm: ['CloseOrder', ...exportDetail] },
  { op: 'comment (DMS has none: refused before any request)', setup: (rig) => dmsTicket(rig), run: (b, id) => refused(b.act(id, { action: 'comment', comment: 'hi' })), cold: [], warm: [] },
  {
    op: 'execute · data export',
    setup: (rig) => dmsTicket(rig, dmsDraft(), 'approved'),
    run: (b, id) => b.act(id, { action: 'execute' }),
    cold: ['GetOrderBaseInfo', 'ExecuteDataExport', ...exportDetail, 'GetUser', 'GetUser'],
    warm: ['GetOrderBaseInfo', 'ExecuteDataExport', ...exportDetail],
  },
  {
    op: 'execute · data export running for two more polls',
    setup: async (rig) => {
      const id = await dmsTicket(rig, dmsDraft(), 'approved');
      rig.fake.executionPolls = 2;
      return id;
    },
    run: (b, id) => b.act(id, { action: 'execute' }),
    cold: ['GetOrderBaseInfo', 'ExecuteDataExport', 'GetOrderBaseInfo', 'GetOrderBaseInfo', ...exportDetail, 'GetUser', 'GetUser'],
  },
  {
    op: 'execute · data change',
    setup: (rig) => dmsTicket(rig, change(), 'approved'),
    run: (b, id) => b.act(id, { action: 'execute' }),
    cold: ['GetOrderBaseInfo', 'ExecuteDataCorrect', ...changeDetail, 'GetDataCorrectTaskDetail', 'GetUser', 'GetUser'],
    warm: ['GetOrderBaseInfo', 'ExecuteDataCorrect', ...changeDetail, 'GetDataCorrectTaskDetail'],
  },
  { op: 'download', setup: (rig) => dmsTicket(rig, dmsDraft(), 'executed'), run: (b, id) => download(b, id), cold: ['GetDataExportDownloadURL', 'download'], warm: ['GetDataExportDownloadURL', 'download'] },
  { op: 'check', run: (b) => b.check!(), cold: ['ListUserTenants', 'GetUserActiveTenant', 'GetUser', 'ListEffectiveOrders'], warm: ['ListUserTenants', 'GetUserActiveTenant', 'ListEffectiveOrders'] },
]);

// --- Huawei Cloud ----------------------------------------------------------------------------------------------------

const RDS_PRODUCT = 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21';
const SQL_PROBLEM = '0f1e2d3c4b5a49687766554433221101';

async function huaweiRig(): Promise<Rig<FakeOsm>> {
  const fake = await startFakeOsm();
  const storeDir = mkdtempSync(join(tmpdir(), 'hw-budget-'));
  return rigOn(
    fake,
    () =>
      openHuaweiBackend(
        { name: 'hw', backend: 'huawei', endpoint: fake.url, iamEndpoint: fake.iamUrl, domainId: DOMAIN_ID, productCategoryId: RDS_PRODUCT, businessTypeId: SQL_PROBLEM },
        { storeDir, secret: async () => undefined, env: { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk }, language: 'en' },
        { timeoutMs: 5_000, settleMs: 50, lagWaitMs: 1_000 },
      ),
    () => fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`),
  );
}

/** A case filed from another process, then put in `status` by Huawei Cloud support. */
async function huaweiCase(rig: Rig<FakeOsm>, status?: number): Promise<string> {
  const { id } = await rig.open().submit(baseDraft());
  if (status !== undefined) rig.fake.setNativeStatus(id, status);
  return id;
}

const caseDetail = ['showCase', 'operateLogs'];
/** An action: the status call that says whether it applies, the action, and the case as it is afterwards. */
const caseAction = (write: string) => ['showCaseStatus', write, ...caseDetail];

budgets('huawei', huaweiRig, [
  { op: 'create', run: (b) => b.submit(baseDraft()), cold: ['listCases', 'listProblemTypes', 'createCase'], warm: ['listCases', 'createCase'] },
  sameDraftAgain('create · the same draft again (resumed from the journal)', baseDraft, ['showCase']),
  { op: 'list · one page', setup: (rig) => huaweiCase(rig), run: (b) => b.list({ scope: 'all' }, { size: 50 }), cold: ['listCases', 'unreadMessages'], warm: ['listCases', 'unreadMessages'] },
  { op: 'show · a case without replies', setup: (rig) => huaweiCase(rig), run: (b, id) => b.get(id), cold: caseDetail, warm: caseDetail, again: 'same ticket' },
  {
    op: 'show · a case with a new reply',
    setup: async (rig) => {
      const id = await huaweiCase(rig, 1);
      rig.fake.addEngineerMessage(id, 'Which table?');
      return id;
    },
    run: (b, id) => b.get(id),
    cold: [...caseDetail, 'markMessagesRead'],
    warm: caseDetail,
    again: 'same ticket',
  },
  { op: 'watch tick', setup: (rig) => huaweiCase(rig), run: (b, id) => ticketHeadline(b, id), cold: ['showCase'], warm: ['showCaseStatus'], again: 'same ticket' },
  { op: 'comment', setup: (rig) => huaweiCase(rig), run: (b, id) => b.act(id, { action: 'comment', comment: 'The orders table.' }), cold: caseAction('addMessage'), warm: caseAction('addMessage') },
  { op: 'urge', setup: (rig) => huaweiCase(rig), run: (b, id) => b.act(id, { action: 'urge' }), cold: caseAction('action'), warm: caseAction('action') },
  { op: 'cancel', setup: (rig) => huaweiCase(rig), run: (b, id) => b.act(id, { action: 'cancel' }), cold: caseAction('action'), warm: caseAction('action') },
  { op: 'close', setup: (rig) => huaweiCase(rig, 1), run: (b, id) => b.act(id, { action: 'close' }), cold: caseAction('action'), warm: caseAction('action') },
  { op: 'delete', setup: (rig) => huaweiCase(rig, 3), run: (b, id) => b.act(id, { action: 'delete' }), cold: caseAction('action'), warm: caseAction('action') },
  { op: 'check', run: (b) => b.check!(), cold: ['iamDomains', 'listProducts', 'listProblemTypes'], warm: ['listProducts', 'listProblemTypes'] },
]);

// --- ZStack ----------------------------------------------------------------------------------------------------------

const zstackRequest = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 };
const people: Record<string, { name: string; password: string }> = { alice: WORLD.submitter, bob: WORLD.lead, carol: WORLD.dba };

async function zstackRig(): Promise<Rig<FakeZStack>> {
  const fake = await startFakeZStack();
  return rigOn(
    fake,
    (who = 'alice') =>
      openZStackBackend(
        { name: 'zs', backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username: people[who].name, project: WORLD.project.name, request: zstackRequest },
        { secret: async () => undefined, env: { ZSTACK_PASSWORD: people[who].password } },
        { pollMs: 20 },
      ),
    () => fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`),
  );
}

const zstackDraft = () => baseDraft({ kind: 'DATA_CHANGE', sql: "UPDATE orders SET state = 'paid' WHERE id = 42" });
async function zstackTicket(rig: Rig<FakeZStack>, then?: 'cancel'): Promise<string> {
  const alice = rig.open();
  const { id } = await alice.submit(zstackDraft());
  if (then) await alice.act(id, { action: then });
  return id;
}

/** A CLI run's session: the virtual ID's login, then the project's (by the name the profile gives). */
const login = ['LoginIAM2VirtualID', 'LoginIAM2Project'];
/** A status change: the ticket (whether the action applies), the change and its job, and the history afterwards. */
const statusChange = ['QueryTicket', 'ChangeTicketStatus', 'pollJob', 'QueryTicketHistory'];

budgets('zstack', zstackRig, [
  { op: 'create', run: (b) => b.submit(zstackDraft()), cold: [...login, 'QueryIAM2Project', 'CreateTicket', 'pollJob', 'QueryTicketFlowCollection'], warm: ['CreateTicket', 'pollJob'] },
  sameDraftAgain('create · the same draft again (ZStack refuses its uuid a second time)', zstackDraft, [...login, 'QueryIAM2Project', 'CreateTicket', 'pollJob', 'QueryTicket', 'QueryTicketFlowCollection']),
  { op: 'list · one page', setup: (rig) => zstackTicket(rig), run: (b) => b.list({ scope: 'all' }, { size: 50 }), cold: [...login, 'QueryTicketFlowCollection', 'QueryTicket'], warm: ['QueryTicket'] },
  {
    op: 'show',
    setup: (rig) => zstackTicket(rig),
    run: (b, id) => b.get(id),
    cold: [...login, 'QueryTicket', 'QueryTicketFlowCollection', 'QueryTicketHistory', 'QueryIAM2VirtualID'],
    warm: ['QueryTicket', 'QueryTicketHistory'],
    again: 'same ticket',
  },
  { op: 'watch tick', setup: (rig) => zstackTicket(rig), run: (b, id) => ticketHeadline(b, id), cold: [...login, 'QueryTicket'], warm: ['QueryTicket'], again: 'same ticket' },
  { op: 'approve', as: 'bob', setup: (rig) => zstackTicket(rig), run: (b, id) => b.act(id, { action: 'approve', comment: 'ok' }), cold: [...login, 'QueryTicketFlowCollection', ...statusChange, 'QueryIAM2VirtualID'], warm: statusChange },
  { op: 'reject', as: 'bob', setup: (rig) => zstackTicket(rig), run: (b, id) => b.act(id, { action: 'reject', comment: 'no' }), cold: [...login, 'QueryTicketFlowCollection', ...statusChange, 'QueryIAM2VirtualID'], warm: statusChange },
  { op: 'cancel', setup: (rig) => zstackTicket(rig), run: (b, id) => b.act(id, { action: 'cancel' }), cold: [...login, 'QueryTicketFlowCollection', ...statusChange, 'QueryIAM2VirtualID'], warm: statusChange },
  { op: 'reopen', setup: (rig) => zstackTicket(rig, 'cancel'), run: (b, id) => b.act(id, { action: 'reopen' }), cold: [...login, 'QueryTicketFlowCollection', ...statusChange, 'QueryIAM2VirtualID'], warm: statusChange },
  {
    op: 'delete',
    setup: (rig) => zstackTicket(rig, 'cancel'),
    run: (b, id) => b.act(id, { action: 'delete' }),
    cold: [...login, 'QueryTicket', 'QueryTicketFlowCollection', 'QueryTicketHistory', 'QueryIAM2VirtualID', 'DeleteTicket', 'pollJob'],
    warm: ['QueryTicket', 'QueryTicketHistory', 'DeleteTicket', 'pollJob'],
  },
  { op: 'comment (ZStack has none: refused before any request)', setup: (rig) => zstackTicket(rig), run: (b, id) => refused(b.act(id, { action: 'comment', comment: 'hi' })), cold: [], warm: [] },
  { op: 'check', run: (b) => b.check!(), cold: [...login, 'QueryIAM2Project', 'QueryTicketType', 'QueryTicketFlowCollection'], warm: ['QueryTicketType', 'QueryTicketFlowCollection'] },
]);
