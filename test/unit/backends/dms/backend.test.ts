import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DbTicketsError } from '../../../../src/core/errors';
import type { DmsBackend } from '../../../../src/backends/dms/dmsBackend';
import type { FakeDms } from '../../../fakes/dms/fakeDms';
import { dmsDraft, useFakeDms } from '../../../fakes/dms/harness';

const draft = dmsDraft;

const bob = { accessKeyId: 'bob-ak', accessKeySecret: 'bob-secret-0123456789' };

describe('DMS backend against the fake DMS', () => {
  const dms = useFakeDms();
  const { open } = dms;
  let fake: FakeDms;
  let alice: DmsBackend;
  beforeEach(() => {
    fake = dms.fake();
    alice = open(fake);
  });

  it('submits a data export as CreateOrder DATA_EXPORT with the PluginParam in the form body, then sends it for approval', async () => {
    const submitted = await alice.submit(draft({ stakeholders: ['bob'] }));
    assert.equal(submitted.status.state, 'pending_approval');
    assert.equal(submitted.status.native, 'toaudit');
    assert.equal(submitted.kind, 'DATA_EXPORT');
    assert.equal(submitted.title, 'Export customers');
    const [create] = fake.callsOf('CreateOrder');
    assert.equal(create.query.PluginType, 'DATA_EXPORT');
    assert.equal(create.query.PluginParam, undefined);
    assert.deepEqual(JSON.parse(create.body.PluginParam), {
      classify: 'weekly report',
      dbId: 1860,
      exeSQL: 'SELECT id, email FROM customers',
      logic: false,
      ignoreAffectRows: false,
      affectRows: 2,
      ignoreAffectRowsReason: '',
    });
    assert.equal(create.query.RelatedUserList, '102');
    assert.match(create.query.Comment, /^Export customers\nweekly report\n\[db-tickets draft [0-9a-f-]+\]$/);
    assert.equal(fake.callsOf('SubmitOrderApproval').length, 1);
  });

  it('files a schema change as a schema-design ticket (NDDL) with the DDL as its description, and says approving will not run it', async () => {
    assert.match(alice.capabilities.kindNotes!.SCHEMA_CHANGE!, /^DMS files this schema change as a schema design ticket \(NDDL\): approving it does not run the DDL; .* set "schemaChangeAs": "DATA_CORRECT" in the profile\.$/);
    const ddl = 'ALTER TABLE customers ADD COLUMN vip BOOLEAN;\nCREATE INDEX vip_idx ON customers(vip);';
    const submitted = await alice.submit(draft({ kind: 'SCHEMA_CHANGE', title: 'Add vip flag', sql: ddl, database: '1861', stakeholders: ['102'] }));
    assert.equal(submitted.kind, 'SCHEMA_CHANGE');
    const [create] = fake.callsOf('CreateOrder');
    assert.equal(create.query.PluginType, 'NDDL');
    assert.deepEqual(JSON.parse(create.body.PluginParam), { title: 'Add vip flag', description: ddl, dbId: 1861, logic: false, relatedIds: [102] });
    const detail = await alice.get(submitted.id);
    assert.equal(detail.sql, ddl, 'the SQL alone, without the reason');
    assert.equal(detail.reason, 'weekly report');
    assert.match(detail.filedAs!, /^Schema design ticket \(NDDL\): approving it does not run the DDL/);
  });

  it('reads the DDL of an older schema design ticket whose description began with the reason', async () => {
    const submitted = await alice.submit(draft({ kind: 'SCHEMA_CHANGE', sql: 'DROP INDEX old_idx ON customers;', database: '1861' }));
    fake.orders[0].param.description = 'weekly report\n\nDROP INDEX old_idx ON customers;';
    assert.equal((await alice.get(submitted.id)).sql, 'DROP INDEX old_idx ON customers;');
  });

  it('files a schema change as a regular data change (CreateDataCorrectOrder) when the profile says DATA_CORRECT', async () => {
    const backend = open(fake, { schemaChangeAs: 'DATA_CORRECT' });
    assert.deepEqual(backend.capabilities.kindAllowances, { DATA_CHANGE: ['ddl'] });
    assert.match(backend.capabilities.kindNotes!.SCHEMA_CHANGE!, /regular data change ticket \(DC_COMMON\): once it is approved, Execute runs the DDL on the database\.$/);
    const submitted = await backend.submit(draft({ kind: 'SCHEMA_CHANGE', sql: 'CREATE INDEX i ON customers(email);', estimatedRows: undefined, stakeholders: ['bob', 'carol'] }));
    assert.equal(submitted.kind, 'DATA_CHANGE');
    assert.match((await backend.get(submitted.id)).filedAs!, /^Regular data change ticket \(DC_COMMON\): once it is approved, Execute runs its SQL/);
    assert.equal(submitted.status.state, 'pending_approval');
    const [create] = fake.callsOf('CreateDataCorrectOrder');
    assert.deepEqual(JSON.parse(create.query.Param), {
      DbItemList: [{ DbId: 1860, Logic: false }],
      SqlType: 'TEXT',
      ExecSQL: 'CREATE INDEX i ON customers(email);',
      EstimateAffectRows: 0,
      Classify: 'weekly report',
      ExecMode: 'COMMITOR',
    });
    assert.equal(create.query.RelatedUserList, '[102,103]');
  });

  it('a failed precheck leaves the ticket failed with the failing check, and it is not sent for approval', async () => {
    const submitted = await alice.submit(draft({ kind: 'DATA_CHANGE', sql: "UPDATE customers SET x = 'FAIL_PRECHECK'" }));
    assert.equal(fake.callsOf('SubmitOrderApproval').length, 0);
    assert.equal(submitted.status.state, 'failed');
    const detail = await alice.get(submitted.id);
    assert.equal(detail.precheck?.passed, false);
    assert.deepEqual(
      detail.precheck?.items.find((i) => i.status === 'failed'),
      { check: 'SQL_SYNTAX_CHECK', status: 'failed', message: 'SQL syntax error near FAIL_PRECHECK' },
    );
  });

  it('waits for a precheck that takes several polls before sending for approval', async () => {
    fake.precheckPolls = 3;
    const submitted = await alice.submit(draft());
    assert.equal(submitted.status.state, 'pending_approval');
    assert.ok(fake.callsOf('GetDataExportOrderDetail').length >= 2);
  });

  it('refuses an ambiguous database name, listing the candidates, and an unknown one', async () => {
    await assert.rejects(alice.submit(draft({ database: 'crm' })), (e: DbTicketsError) => {
      assert.equal(e.kind, 'usage');
      assert.match(e.message, /"crm" matches 2 DMS databases: crm@rm-bp2\.mysql\.rds\.aliyuncs\.com:3306 \(id 1861\), crm@rm-bp3.* Give the full search name or the database id\./);
      return true;
    });
    await assert.rejects(alice.submit(draft({ database: 'nowhere' })), /DMS has no database matching "nowhere"/);
    assert.equal(fake.orders.length, 0);
  });

  describe('create', () => {
    it('SQL too long for one request is refused before anything is sent', async () => {
      const sql = `UPDATE t SET note = '${'x'.repeat(40_000)}' WHERE id = 1`;
      await assert.rejects(alice.submit(draft({ kind: 'DATA_CHANGE', sql })), (e: DbTicketsError) => e.kind === 'usage' && /is too long to send to DMS inline \(over the 32,000-character limit of one request\): set "ossStaging" in profile "dms-test"/.test(e.message));
      assert.equal(fake.callsOf('CreateDataCorrectOrder').length, 0);
    });

    it('a stakeholder id DMS does not know (UserNotExist) is named as the cause, with the fix', async () => {
      fake.inject({ kind: 'successFalse', action: 'CreateOrder', code: 'UserNotExist', message: 'User [4242] not exist' });
      await assert.rejects(alice.submit(draft({ stakeholders: ['4242'] })), (e: DbTicketsError) => {
        assert.equal(e.kind, 'not_found');
        assert.match(e.message, /^DMS refused CreateOrder \(UserNotExist: User \[4242\] not exist\): a user the ticket names \(a stakeholder, or the new approver\) is not a DMS user of this tenant: give their DMS user id — not their Alibaba Cloud UID/);
        assert.doesNotMatch(e.message, /add you/);
        return true;
      });
    });

    it('a ticket refused for the instance\'s control mode says which instance, which mode, and what DMS needs', async () => {
      await assert.rejects(alice.submit(draft({ database: 'billing_prod' })), (e: DbTicketsError) => {
        assert.equal(e.kind, 'config');
        assert.match(e.message, /^The database billing@\S+ is on DMS instance .*1004.*, which is in Stable Change mode: DMS runs DATA_EXPORT tickets only on instances in Security Collaboration mode\. Ask your DMS administrator .*\(DMS said \w+: .*; RequestId [0-9A-F-]{36}\)$/);
        return true;
      });
      await assert.rejects(alice.submit(draft({ kind: 'DATA_CHANGE', sql: 'UPDATE t SET a = 1 WHERE id = 2', database: 'sandbox_dev' })), /which is in Flexible Management mode: DMS runs DC_COMMON tickets only on instances in Security Collaboration mode/);
      assert.equal(fake.orders.length, 0);
    });

    it('a stakeholder who is not a DMS user is refused, naming the near matches', async () => {
      await assert.rejects(alice.submit(draft({ stakeholders: ['bo'] })), (e: DbTicketsError) => e.kind === 'not_found' && e.message === '"bo" is not a DMS user name (found: bob (102)): give the DMS user id.');
    });

    it('a refused create (Success:false) is reported at once and not retried', async () => {
      fake.inject({ kind: 'successFalse', action: 'CreateOrder', code: 'NoPermission' });
      await assert.rejects(alice.submit(draft()), (e: DbTicketsError) => {
        assert.equal(e.kind, 'auth');
        assert.match(e.message, /^DMS refused CreateOrder \(NoPermission: You are not authorized to perform this operation\.\): you are not allowed to call CreateOrder: ask your administrator for the RAM permission dms:CreateOrder .*\(RequestId [0-9A-F-]{36}\)$/);
        return true;
      });
      assert.equal(fake.callsOf('CreateOrder').length, 1);
      assert.equal(fake.orders.length, 0);
    });
  });

  describe('tracking', () => {
    it('lists scopes in pages: mine, awaiting me, related; "all" falls back to related for non-admins', async () => {
      for (let i = 0; i < 5; i++) await alice.submit(draft({ title: `Export ${i}` }));
      const first = await alice.list({ scope: 'mine' }, { size: 2 });
      assert.deepEqual(first.items.map((t) => t.title), ['Export 4', 'Export 3']);
      assert.equal(first.total, 5);
      assert.equal(first.nextCursor, '2');
      const last = await alice.list({ scope: 'mine' }, { size: 2, cursor: '3' });
      assert.deepEqual(last.items.map((t) => t.title), ['Export 0']);
      assert.equal(last.nextCursor, undefined);
      assert.ok(first.items.every((t) => !t.needsYou && t.actions.includes('cancel') && !t.actions.includes('approve')));

      const bobs = open(fake, {}, bob);
      const awaiting = await bobs.list({ scope: 'awaiting_me' }, { size: 10 });
      assert.equal(awaiting.items.length, 5);
      assert.ok(awaiting.items.every((t) => t.needsYou && t.actions.join() === 'approve,reject,transfer'));
      assert.equal(fake.callsOf('ListOrders').at(-1)!.query.OrderResultType, 'AS_HANDLER');
      assert.equal((await bobs.list({ scope: 'mine' }, { size: 10 })).items.length, 0);
      assert.equal((await bobs.list({ scope: 'related' }, { size: 10 })).items.length, 5);
      const all = await bobs.list({ scope: 'all' }, { size: 10 });
      assert.equal(all.items.length, 5);
      assert.deepEqual(fake.callsOf('ListOrders').slice(-2).map((c) => c.query.OrderResultType), ['AS_ADMIN', 'AS_Related']);
      const carol = open(fake, {}, { accessKeyId: 'carol-ak', accessKeySecret: 'carol-secret-0123456789' });
      assert.equal((await carol.list({ scope: 'all' }, { size: 10 })).total, 5);
      assert.equal(fake.callsOf('ListOrders').at(-1)!.query.OrderResultType, 'AS_ADMIN');
    });

    it('filters by state with the matching OrderStatus', async () => {
      const t = await alice.submit(draft());
      await alice.act(t.id, { action: 'cancel', comment: 'not needed' });
      await alice.submit(draft());
      const finished = await alice.list({ scope: 'mine', states: ['cancelled'] }, { size: 10 });
      assert.deepEqual(finished.items.map((i) => i.id), [t.id]);
      assert.equal(fake.callsOf('ListOrders').at(-1)!.query.OrderStatus, 'FINISHED');
      const running = await alice.list({ scope: 'mine', states: ['pending_approval'] }, { size: 10 });
      assert.equal(running.items.length, 1);
      assert.equal(fake.callsOf('ListOrders').at(-1)!.query.OrderStatus, 'RUNNING');
    });

    it('"needs you" outside the awaiting-me scope: the tickets waiting for the caller among those of the scope', async () => {
      const waiting = await alice.submit(draft({ title: 'Waits for bob', stakeholders: ['bob'] }));
      const other = await alice.submit(draft({ title: 'Waits for carol', stakeholders: ['bob'] }));
      fake.orders.find((o) => String(o.OrderId) === other.id)!.handlers = ['103'];
      const bobs = open(fake, {}, bob);
      const related = await bobs.list({ scope: 'related', states: ['needs_you'] }, { size: 2 });
      assert.deepEqual(related.items.map((t) => [t.id, t.needsYou]), [[waiting.id, true]]);
      assert.equal(fake.callsOf('ListOrders').some((c) => c.query.OrderResultType === 'AS_HANDLER'), true);
      assert.deepEqual((await alice.list({ scope: 'mine', states: ['needs_you'] }, { size: 2 })).items, [], 'alice approves none of them');
    });

    it('shows a ticket with its approval chain, per-node comments and history', async () => {
      const t = await alice.submit(draft({ stakeholders: ['carol'] }));
      const bobs = open(fake, {}, bob);
      const pending = await bobs.get(t.id);
      assert.equal(pending.needsYou, true);
      assert.deepEqual(pending.actions, ['approve', 'reject', 'transfer']);
      assert.deepEqual(pending.approvals.map((s) => [s.name, s.state, s.approvers.map((a) => a.name)]), [['DBA', 'current', ['bob']]]);
      await bobs.act(t.id, { action: 'approve', comment: 'ok for the report' });
      const detail = await alice.get(t.id);
      assert.equal(detail.status.state, 'approved');
      assert.equal(detail.sql, 'SELECT id, email FROM customers');
      assert.equal(detail.database, 'shop@rm-bp1.mysql.rds.aliyuncs.com:3306');
      assert.equal(detail.reason, 'weekly report');
      assert.deepEqual(detail.stakeholders, [{ id: '103', name: 'carol' }]);
      assert.deepEqual(detail.approvals.map((s) => [s.name, s.state, s.actedBy?.name, s.comment]), [['DBA', 'approved', 'bob', 'ok for the report']]);
      assert.deepEqual(detail.history.map((e) => e.action), ['submitted', 'approved (DBA)']);
      assert.deepEqual(detail.comments.map((c) => c.text), ['ok for the report']);
      assert.equal(detail.precheck?.passed, true);
      assert.deepEqual(detail.actions, ['execute', 'cancel']);
      assert.equal(fake.callsOf('GetDataExportOrderDetail').at(-1)!.body.OrderId, t.id);
      assert.equal(fake.callsOf('GetDataExportOrderDetail').at(-1)!.query.OrderId, undefined);
    });

    it('an unknown ticket id is not_found with the RequestId; a non-numeric one is a usage error', async () => {
      await assert.rejects(alice.get('424242'), (e: DbTicketsError) => e.kind === 'not_found' && /InvalidOrderId.*no such ticket in this tenant: check the id in the ticket list\. \(RequestId /.test(e.message));
      await assert.rejects(alice.get('abc'), (e: DbTicketsError) => e.kind === 'usage' && /"abc" is not a DMS ticket id/.test(e.message));
      await assert.rejects(alice.list({}, { size: 5, cursor: 'x' }), /The cursor "x" is not one this DMS profile gave: list again without it\./);
    });
  });

  describe('actions', () => {
    it('runs an export through approve, execute and download, streaming to disk with progress', async () => {
      fake.executionPolls = 2;
      const t = await alice.submit(draft());
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      const progress: string[] = [];
      const done = await alice.act(t.id, { action: 'execute' }, { onProgress: (p) => progress.push(p.message ?? '') });
      assert.equal(done.status.state, 'succeeded');
      assert.equal(done.execution?.hasResult, true);
      assert.equal(done.execution?.resultName, `ticket-${t.id}.zip`);
      assert.deepEqual(JSON.parse(fake.callsOf('ExecuteDataExport')[0].query.ActionDetail), { mode: 'FAST', encoding: 'UTF8', fileType: 'CSV', transaction: false });
      assert.ok(progress.includes(`#${t.id} is executing in DMS`));
      const dir = mkdtempSync(join(tmpdir(), 'dms-dl-'));
      const seen: Array<[number | undefined, number | undefined]> = [];
      const result = await alice.download(t.id, { path: join(dir, 'out.zip') }, { onProgress: (p) => seen.push([p.done, p.total]) });
      assert.equal(result.bytes, fake.exportResult.length);
      assert.deepEqual(readFileSync(join(dir, 'out.zip')), fake.exportResult);
      assert.deepEqual(seen.at(-1), [fake.exportResult.length, fake.exportResult.length]);
    });

    it('a download before the export ran says what to do; a cancelled download leaves no file', async () => {
      const t = await alice.submit(draft());
      await assert.rejects(alice.download(t.id, { path: join(tmpdir(), 'never.zip') }), (e: DbTicketsError) => e.kind === 'conflict' && /has no export result to download yet \(DMS: The export has not run yet\.\): execute the approved export/.test(e.message));
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      await alice.act(t.id, { action: 'execute' });
      const path = join(mkdtempSync(join(tmpdir(), 'dms-dl-')), 'out.zip');
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(alice.download(t.id, { path }, { signal: controller.signal }), (e: DbTicketsError) => e.kind === 'cancelled');
      assert.equal(existsSync(path), false);
      assert.deepEqual(readdirSync(dirname(path)), [], 'no temporary file is left');
    });

    it('cancelling in the middle of a download stops it, removes the temporary file and leaves an existing file as it was', async () => {
      fake.exportResult = Buffer.alloc(32 * 1024 * 1024, 'x');
      const t = await alice.submit(draft());
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      await alice.act(t.id, { action: 'execute' });
      const path = join(mkdtempSync(join(tmpdir(), 'dms-dl-')), 'big.zip');
      writeFileSync(path, 'keep me');
      const controller = new AbortController();
      let received = 0;
      const downloading = alice.download(t.id, { path }, { signal: controller.signal, onProgress: (p) => {
        received = p.done ?? 0;
        if (received > 0) controller.abort();
      } });
      await assert.rejects(downloading, (e: DbTicketsError) => e.kind === 'cancelled' && e.message === `Downloading the result of #${t.id} was cancelled; nothing was saved at ${path} (an existing file is left as it was).`);
      assert.ok(received > 0 && received < fake.exportResult.length, String(received));
      assert.equal(readFileSync(path, 'utf8'), 'keep me');
      assert.deepEqual(readdirSync(dirname(path)), ['big.zip'], 'no temporary file is left');
    });

    it('a symbolic link at the target is refused, and the file it points to is untouched', async () => {
      const t = await alice.submit(draft());
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      await alice.act(t.id, { action: 'execute' });
      const dir = mkdtempSync(join(tmpdir(), 'dms-dl-'));
      writeFileSync(join(dir, 'precious'), 'precious');
      symlinkSync(join(dir, 'precious'), join(dir, 'out.zip'));
      await assert.rejects(alice.download(t.id, { path: join(dir, 'out.zip') }), (e: DbTicketsError) => e.kind === 'usage' && /is a symbolic link, and files are not written through links \(ELOOP\)/.test(e.message));
      assert.equal(readFileSync(join(dir, 'precious'), 'utf8'), 'precious');
    });

    it('rejects, transfers and closes through ApproveOrder and CloseOrder, with comments', async () => {
      const bobs = open(fake, {}, bob);
      const carol = open(fake, {}, { accessKeyId: 'carol-ak', accessKeySecret: 'carol-secret-0123456789' });
      const a = await alice.submit(draft());
      const transferred = await bobs.act(a.id, { action: 'transfer', to: { id: '', name: 'carol' }, comment: 'carol owns this' });
      assert.equal(transferred.needsYou, false);
      assert.equal(fake.callsOf('ApproveOrder').at(-1)!.query.ApprovalType, 'TRANSFER');
      assert.equal(fake.callsOf('ApproveOrder').at(-1)!.query.NewApprover, '103');
      const rejected = await carol.act(a.id, { action: 'reject', comment: 'too broad' });
      assert.equal(rejected.status.state, 'rejected');
      assert.equal(rejected.approvals[0].comment, 'too broad');
      const b = await alice.submit(draft());
      const closed = await alice.act(b.id, { action: 'cancel', comment: 'duplicate' });
      assert.equal(closed.status.state, 'cancelled');
      assert.equal(closed.status.native, 'closed');
      assert.equal(fake.callsOf('CloseOrder')[0].query.CloseReason, 'duplicate');
    });

    it('approving when not the approver and executing before approval are clear errors', async () => {
      const t = await alice.submit(draft());
      await assert.rejects(alice.act(t.id, { action: 'approve' }), (e: DbTicketsError) => {
        assert.equal(e.kind, 'auth');
        assert.match(e.message, /^DMS refused ApproveOrder \(NoPermission: .*\): you are not an approver of the current step of this ticket: only its current approvers \(see its approval chain\) can approve, reject or transfer it/);
        assert.doesNotMatch(e.message, /RAM permission/);
        return true;
      });
      await assert.rejects(alice.act(t.id, { action: 'execute' }), (e: DbTicketsError) => e.kind === 'conflict' && /is toaudit, not approved: only an approved ticket can be executed\./.test(e.message));
      await assert.rejects(alice.act(t.id, { action: 'comment', comment: 'hi' }), /DMS has no "comment" action .* DMS keeps comments only with an approval, reject or close/);
    });

    it('cancelling while following an execution says it goes on in DMS', async () => {
      fake.executionPolls = 1_000;
      const t = await alice.submit(draft());
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      const controller = new AbortController();
      const following = alice.act(t.id, { action: 'execute' }, { signal: controller.signal, onProgress: () => controller.abort() });
      await assert.rejects(following, (e: DbTicketsError) => e.kind === 'cancelled' && e.message === `Stopped following the execution of #${t.id}; it goes on in DMS: follow it with its status.`);
      assert.equal(fake.orders[0].StatusCode, 'processing');
    });

    it('runs a data change through ExecuteDataCorrect', async () => {
      const t = await alice.submit(draft({ kind: 'DATA_CHANGE', sql: 'UPDATE customers SET vip = 1 WHERE id = 7', estimatedRows: 1 }));
      await open(fake, {}, bob).act(t.id, { action: 'approve' });
      const done = await alice.act(t.id, { action: 'execute' });
      assert.equal(done.status.state, 'succeeded');
      assert.equal(done.execution?.rows, 3);
      assert.equal(done.estimatedRows, 1);
      assert.equal(done.dialect, 'mysql', 'from the order\'s DbType');
      assert.ok(fake.callsOf('ExecuteDataCorrect').length === 1);
    });

    it('re-drafts a finished ticket with its SQL, database and reason', async () => {
      const t = await alice.submit(draft());
      await alice.act(t.id, { action: 'cancel' });
      const again = await alice.redraft(t.id);
      assert.equal(again.sql, 'SELECT id, email FROM customers');
      assert.equal(again.database, 'shop@rm-bp1.mysql.rds.aliyuncs.com:3306');
      assert.equal(again.reason, 'weekly report');
      assert.equal(again.title, 'Export customers');
      assert.notEqual(again.id, t.id);
    });
  });

  it('links each ticket to the console through the profile\'s URL template', async () => {
    const backend = open(fake, { consoleUrl: 'https://dms.aliyun.com/?orderId={id}' });
    const t = await backend.submit(draft());
    assert.equal(t.webUrl, `https://dms.aliyun.com/?orderId=${t.id}`);
    assert.equal((await backend.list({ scope: 'mine' }, { size: 1 })).items[0].webUrl, t.webUrl);
    assert.equal(t.webUrl !== undefined && (await alice.get(t.id)).webUrl, undefined);
  });

  it('searches databases and users for the pickers', async () => {
    assert.deepEqual(await alice.searchDatabases('crm'), [
      { id: '1861', name: 'crm@rm-bp2.mysql.rds.aliyuncs.com:3306', engine: 'mysql', environment: 'product' },
      { id: '1862', name: 'crm@rm-bp3.mysql.rds.aliyuncs.com:3306', engine: 'mysql', environment: 'test' },
    ]);
    assert.deepEqual(await alice.searchUsers('ca'), [{ id: '103', name: 'carol' }]);
  });

  describe('check', () => {
    it('names the tenant (and the others to choose from), the user, the control mode and the quota', async () => {
      fake.tenants.push({ Tid: 3001, TenantName: 'acme-test', Status: 'ACTIVE' });
      const result = await alice.check();
      assert.deepEqual(result.facts, [
        { label: 'Tenant', value: 'acme (tid 3000)' },
        { label: 'Other tenants', value: 'acme-test (tid 3001)' },
        { label: 'User', value: 'alice (DMS user 101), USER' },
        { label: 'Control mode', value: 'Security Collaboration' },
        { label: 'Quota (Security Collaboration)', value: '12 instances, 7 in purchase orders, until 2027-01-01 00:00:00' },
      ]);
      assert.deepEqual(result.warnings, []);
    });

    it('warns when the mode cannot run the ticket kinds, and when the tid is wrong', async () => {
      fake.effectiveOrders = [{ CommodityType: 'VersionType', VersionType: 'stand', TotalQuota: 3, OrderList: [] }];
      const result = await open(fake, { tid: 3000 }).check();
      assert.deepEqual(result.facts.find((f) => f.label === 'Control mode'), { label: 'Control mode', value: 'Stable Change' });
      assert.match(result.warnings.join('\n'), /This tenant has Stable Change: DMS runs data export, data change and schema design tickets only on instances in Security Collaboration mode/);
      fake.effectiveOrders = [];
      assert.match((await alice.check()).warnings.join('\n'), /no paid control mode \(Flexible Management\)/);
      fake.tenants.push({ Tid: 3001, TenantName: 'acme-test', Status: 'ACTIVE' });
      const wrongTid = await open(fake, { tid: 7 }).check();
      assert.deepEqual(wrongTid.facts, [{ label: 'Tenant', value: 'none found' }, { label: 'Other tenants', value: 'acme (tid 3000), acme-test (tid 3001)' }]);
      assert.deepEqual(wrongTid.warnings, ['tid 7 is not a DMS tenant of this account: set "tid" to one of yours — acme (tid 3000), acme-test (tid 3001) — or remove it to use your active tenant (profile "dms-test").']);
      assert.equal(fake.callsOf('ListUserTenants').at(-1)!.query.Tid, undefined, 'the tenants are asked for without the wrong tid');
    });
  });
});
