import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerConnection } from '../../../../../src/backends/local/db/passwordSource';
import { PostgresEngine } from '../../../../../src/backends/local/db/postgres/postgresEngine';
import { DbTicketsError } from '../../../../../src/core/errors';
import { usePostgres } from '../../../../support/postgresServer';
import { draft, usePostgresShop, useStore } from '../../../../support/workflowHarness';

function rejectsWith(kind: DbTicketsError['kind'], message: string | RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DbTicketsError, String(error));
    assert.equal(error.kind, kind);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

describe('local workflow: paths other than straight through', function () {
  this.timeout(60_000);
  const server = usePostgres();
  const shop = usePostgresShop('shop');
  const store = useStore();

  it('reject: the ticket ends rejected with the comment, and can be re-submitted as a new draft', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    const { id } = await alice.submit(draft({ stakeholders: ['carol'], backendFields: { exportFormat: 'jsonl' } }));
    const rejected = await bob.act(id, { action: 'reject', comment: 'Use the reporting replica' });
    assert.deepEqual(rejected.status, { state: 'rejected', native: 'rejected' });
    assert.equal(rejected.approvals[0].state, 'rejected');
    assert.equal(rejected.approvals[0].comment, 'Use the reporting replica');
    assert.deepEqual(rejected.actions, ['comment']);
    await assert.rejects(
      alice.act(id, { action: 'execute' }),
      rejectsWith('conflict', 'Ticket #1 cannot be executed: it is rejected. A ticket can be executed only while approved. What #1 allows now: comment, re-submit as a new draft.'),
    );

    const again = await alice.redraft(id);
    assert.notEqual(again.id, rejected.id);
    assert.deepEqual({ ...again, id: 'new' }, {
      id: 'new',
      title: 'Export customers',
      kind: 'DATA_EXPORT',
      sql: 'SELECT id, name, email FROM customers ORDER BY id',
      database: 'shop',
      reason: 'Quarterly report',
      stakeholders: ['carol'],
      estimatedRows: rejected.estimatedRows,
      attachments: [],
      backendFields: { resubmitOf: '1', exportFormat: 'jsonl' },
    });
    const second = await alice.submit({ ...again, title: 'Export customers from the replica' });
    assert.equal(second.id, '2');
    assert.equal((await alice.get('2')).history[0].action, 'submitted (re-submits #1)');
    assert.deepEqual((await alice.get('1')).history.map((event) => event.action), ['submitted', 'precheck passed with 1 warning', 'rejected', 're-submitted as #2']);
  });

  it('cancel: any time before execution, and then nothing else but comments', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    const first = await alice.submit(draft());
    const cancelled = await alice.act(first.id, { action: 'cancel', comment: 'Not needed any more' });
    assert.equal(cancelled.status.state, 'cancelled');
    assert.equal(cancelled.approvals[0].state, 'skipped');
    await assert.rejects(
      bob.act(first.id, { action: 'approve' }),
      rejectsWith('conflict', 'Ticket #1 cannot be approved: it is cancelled. A ticket can be approved only while pending approval. What #1 allows now: comment, re-submit as a new draft.'),
    );

    const second = await alice.submit(draft());
    await bob.act(second.id, { action: 'approve' });
    const cancelledAfterApproval = await alice.act(second.id, { action: 'cancel' });
    assert.equal(cancelledAfterApproval.status.state, 'cancelled');
    assert.deepEqual(cancelledAfterApproval.history.map((event) => event.action), ['submitted', 'precheck passed with 1 warning', 'approved', 'cancelled']);
  });

  it('self-approval is allowed and recorded as such', async () => {
    const alice = store.backend('alice', [shop()]);
    const { id } = await alice.submit(draft());
    const approved = await alice.act(id, { action: 'approve' });
    assert.equal(approved.status.state, 'approved');
    assert.equal(approved.history.find((event) => event.action.startsWith('approved'))?.action, 'approved (self-approval)');
    const events = readFileSync(join(store.folder(), 'tickets.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.equal(events.find((event) => event.type === 'approved').self, true);
  });

  it('a kind that does not fit the SQL fails the precheck, naming the statement that breaks it', async () => {
    const alice = store.backend('alice', [shop()]);
    const ticket = await alice.submit(draft({ sql: 'SELECT id FROM customers;\nDELETE FROM orders WHERE id = 10;' }));
    assert.deepEqual(ticket.status, { state: 'failed', native: 'precheck_failed' });
    const detail = await alice.get(ticket.id);
    assert.equal(detail.precheck?.passed, false);
    assert.deepEqual(
      detail.precheck?.items.filter((item) => item.status === 'failed').map((item) => item.message),
      [
        'A data export takes one statement, and the selection has 2: select only the statement for this ticket, or create one ticket per statement.',
        'Statement 2 (DELETE, line 2 of the ticket\'s SQL) is DML, and a data export takes one read-only query: move it to a data change ticket.',
      ],
    );
    assert.equal(detail.history[1].action, 'precheck failed');
    assert.match(detail.history[1].comment!, /Statement 2 \(DELETE, line 2 of the ticket's SQL\) is DML/);
    assert.deepEqual(detail.actions, ['comment']);
    assert.equal((await alice.redraft(ticket.id)).backendFields.resubmitOf, '1', 'a failed precheck can be fixed in a new draft');
  });

  it('risk lints that are errors block the ticket; warnings are recorded', async () => {
    const alice = store.backend('alice', [shop()]);
    const blocked = await alice.submit(draft({ kind: 'DATA_CHANGE', title: 'Empty orders', sql: 'DELETE FROM orders' }));
    assert.equal(blocked.status.native, 'precheck_failed');
    assert.deepEqual((await alice.get(blocked.id)).precheck?.items.find((item) => item.status === 'failed'), {
      check: 'lint:delete-without-where',
      status: 'failed',
      message: 'Statement 1 (DELETE, line 1 of the ticket\'s SQL): DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.',
    });
    const warned = await alice.submit(draft({ sql: 'SELECT * FROM customers LIMIT 5' }));
    assert.equal(warned.status.state, 'pending_approval');
    assert.deepEqual((await alice.get(warned.id)).precheck?.items.find((item) => item.check === 'lint:select-star')?.status, 'warning');
  });

  it('SQL the database rejects fails the precheck with the database\'s reason', async () => {
    const alice = store.backend('alice', [shop()]);
    const query = await alice.submit(draft({ sql: 'SELECT nme FROM customers' }));
    assert.equal(query.status.native, 'precheck_failed');
    assert.match(
      (await alice.get(query.id)).precheck!.items.find((item) => item.status === 'failed')!.message,
      /^Estimating rows on "shop" failed: column "nme" does not exist \(SQLSTATE 42703\)\. Fix the SQL and try again\.$/,
    );
    const change = await alice.submit(draft({ kind: 'SCHEMA_CHANGE', sql: 'CREATE INDEX orders_total ON orders (total);\nALTER TABLE nosuch ADD COLUMN x integer;' }));
    assert.equal(change.status.native, 'precheck_failed');
    assert.match(
      (await alice.get(change.id)).precheck!.items.find((item) => item.status === 'failed')!.message,
      /^Statement 2 \(ALTER TABLE, line 2 of the ticket's SQL\) fails on "shop": .*"nosuch".* Fix the SQL and re-submit the ticket as a new draft\.$/,
    );
  });

  it('an unknown database is refused before any ticket is created', async () => {
    const alice = store.backend('alice', [shop()]);
    await assert.rejects(
      alice.submit(draft({ database: 'warehouse' })),
      rejectsWith('config', 'Database "warehouse" is not a configured connection: choose one of shop, or add a connection named "warehouse" to the configuration.'),
    );
    assert.equal((await alice.list({}, { size: 10 })).total, 0);
  });

  it('a database that cannot be reached or logged into refuses the submit and records nothing; the same draft goes through later', async () => {
    let down = true;
    const flaky = { ...shop(), open: () => (down ? Promise.reject(new Error('connection refused (127.0.0.1:1)')) : shop().open()) };
    const alice = store.backend('alice', [flaky]);
    const once = draft();
    await assert.rejects(
      alice.submit(once),
      rejectsWith('failed', 'Could not open database "shop": connection refused (127.0.0.1:1). Check the connection, then submit again.'),
    );
    assert.equal((await alice.list({}, { size: 10 })).total, 0);
    down = false;
    assert.equal((await alice.submit(once)).status.state, 'pending_approval');

    const wrongPassword = { ...shop(), open: async () => new PostgresEngine(server().connection({ name: 'shop', database: 'shop' }) as ServerConnection, 'not-the-password') };
    const bob = store.backend('bob', [wrongPassword]);
    await assert.rejects(bob.submit(draft()), rejectsWith('auth', /^"shop" \(PostgreSQL tickets@127\.0\.0\.1:\d+\/shop\) rejected the login: .*Check the user name and password for this connection\.$/));
    assert.equal((await bob.list({}, { size: 10 })).total, 1, 'only the ticket submitted before');
  });

  it('an invalid draft is refused with what to fix', async () => {
    const alice = store.backend('alice', [shop()]);
    await assert.rejects(
      alice.submit(draft({ title: '  ', reason: '' })),
      rejectsWith(
        'usage',
        'The draft cannot be submitted: Title is empty: write a short title that says what the ticket does, e.g. "Export customers". Reason is empty: say why the export or change is needed; approvers read it.',
      ),
    );
    await assert.rejects(alice.submit(draft({ backendFields: { exportFormat: 'xlsx' } })), rejectsWith('usage', 'Export format "xlsx" is not one the Local backend writes: use csv or jsonl.'));
  });

  it('submit is idempotent on the draft id, also when two processes retry at once', async () => {
    const alice = store.backend('alice', [shop()]);
    const otherWindow = store.backend('alice', [shop()]);
    const once = draft();
    const [first, second] = await Promise.all([alice.submit(once), otherWindow.submit(once)]);
    assert.equal(first.id, '1');
    assert.equal(second.id, '1');
    assert.deepEqual(await alice.submit(once), await alice.submit({ ...once, title: 'Changed after the first attempt' }));
    const types = readFileSync(join(store.folder(), 'tickets.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).type);
    assert.deepEqual(types, ['submitted', 'prechecked']);
  });

  it('actions the state does not allow are conflicts naming the state and what is allowed', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    const { id } = await alice.submit(draft());
    await assert.rejects(
      alice.act(id, { action: 'execute' }),
      rejectsWith('conflict', 'Ticket #1 cannot be executed: it is pending approval. A ticket can be executed only while approved. What #1 allows now: approve, reject, cancel, comment.'),
    );
    await bob.act(id, { action: 'approve' });
    await assert.rejects(
      bob.act(id, { action: 'reject' }),
      rejectsWith('conflict', 'Ticket #1 cannot be rejected: it is approved. A ticket can be rejected only while pending approval. What #1 allows now: execute, cancel, comment.'),
    );
    await alice.act(id, { action: 'execute' });
    await assert.rejects(
      alice.act(id, { action: 'cancel' }),
      rejectsWith('conflict', 'Ticket #1 cannot be cancelled: it is succeeded. A ticket can be cancelled only while being prechecked, pending approval or approved. What #1 allows now: comment, re-submit as a new draft.'),
    );
    await assert.rejects(
      alice.redraft('#1').then(() => alice.submit(draft())).then(({ id: next }) => alice.redraft(next)),
      rejectsWith('conflict', 'Ticket #2 is not finished (pending approval), so it cannot be re-submitted as a new draft yet: only a rejected, failed, cancelled or succeeded ticket can. Cancel it first if it should be replaced.'),
    );
    await assert.rejects(
      alice.act(id, { action: 'urge' }),
      rejectsWith('usage', 'The Local backend has no "urge" action: its actions are approve, reject, execute, cancel, comment.'),
    );
    await assert.rejects(
      alice.act('99', { action: 'approve' }),
      rejectsWith('not_found', `Ticket #99 does not exist in the Local store at ${store.folder()}: check the id in the ticket list.`),
    );
    await assert.rejects(alice.act(id, { action: 'comment', comment: ' ' }), rejectsWith('usage', 'The comment is empty: write what you want to say.'));
    const commented = await bob.act('#1', { action: 'comment', comment: 'Thanks, the file looks right' });
    assert.deepEqual(commented.comments.map((comment) => [comment.author.name, comment.text]), [['bob', 'Thanks, the file looks right']]);
    await assert.rejects(
      bob.download('2', { path: join(store.folder(), 'x.csv') }),
      rejectsWith('conflict', 'Ticket #2 has no result to download: it is pending approval. The result exists once the export has been executed and succeeded.'),
    );
  });

  it('lists by scope, state and text, newest first, in pages', async () => {
    const alice = store.backend('alice', [shop()]);
    const bob = store.backend('bob', [shop()]);
    await alice.submit(draft({ title: 'Export customers' }));
    await bob.submit(draft({ title: 'Export orders', sql: 'SELECT id, total FROM orders LIMIT 100' }));
    await alice.submit(draft({ title: 'Export emails', stakeholders: ['bob'] }));
    await bob.submit(draft({ kind: 'DATA_CHANGE', title: 'Bad change', sql: 'DELETE FROM orders' }));
    await alice.submit(draft({ title: 'Export countries' }));
    await bob.act('1', { action: 'approve' });

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await alice.list({}, { size: 2, cursor });
      assert.equal(page.total, 5);
      pages.push(page.items.map((ticket) => ticket.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(pages, [['5', '4'], ['3', '2'], ['1']]);

    const ids = async (backend: typeof alice, filter: Parameters<typeof alice.list>[0]) => (await backend.list(filter, { size: 50 })).items.map((ticket) => ticket.id);
    assert.deepEqual(await ids(alice, { scope: 'mine' }), ['5', '3', '1']);
    assert.deepEqual(await ids(alice, { scope: 'awaiting_me' }), ['2', '1'], 'bob\'s ticket to approve, and her approved one to execute');
    assert.deepEqual(await ids(bob, { scope: 'awaiting_me' }), ['5', '3']);
    assert.deepEqual(await ids(bob, { scope: 'related' }), ['4', '3', '2', '1'], 'his own, one naming him, one he approved');
    assert.deepEqual(await ids(alice, { states: ['failed'] }), ['4']);
    assert.deepEqual(await ids(alice, { states: ['needs_you'] }), ['2', '1']);
    assert.deepEqual(await ids(alice, { text: 'ORDERS' }), ['4', '2']);
    assert.deepEqual(await ids(alice, { text: '#3' }), ['3']);
    await assert.rejects(alice.list({}, { size: 2, cursor: 'abc' }), rejectsWith('usage', 'The page cursor "abc" is not one this backend gave out: list again from the first page.'));
  });

  it('searches the configured connections and the people in the store', async () => {
    const other = { ...shop(), name: 'shop-reporting' };
    const alice = store.backend('alice', [shop(), other]);
    await alice.submit(draft({ stakeholders: ['carol'] }));
    assert.deepEqual(await alice.searchDatabases('REPORT'), [{ id: 'shop-reporting', name: 'shop-reporting', engine: 'postgres' }]);
    assert.deepEqual((await alice.searchDatabases('')).map((database) => database.name), ['shop', 'shop-reporting']);
    assert.deepEqual(await alice.searchUsers(''), [{ id: 'alice', name: 'alice' }, { id: 'carol', name: 'carol' }]);
    assert.deepEqual(await alice.searchUsers('carol'), [{ id: 'carol', name: 'carol' }]);
    assert.deepEqual(await alice.searchUsers(' dave '), [{ id: 'dave', name: 'dave' }], 'anyone may be named: the typed name is offered');
    assert.deepEqual(await alice.searchUsers('C'), [{ id: 'alice', name: 'alice' }, { id: 'carol', name: 'carol' }, { id: 'C', name: 'C' }]);
  });
});
