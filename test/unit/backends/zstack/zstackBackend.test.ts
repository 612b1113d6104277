import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DbTicketsError } from '../../../../src/core/errors';
import type { TicketDraft } from '../../../../src/core/model/ticketDraft';
import { openZStackBackend } from '../../../../src/backends/zstack/openZStack';
import type { ZStackBackend } from '../../../../src/backends/zstack/zstackBackend';
import { ticketUuidOf } from '../../../../src/backends/zstack/zstackTickets';
import { DB_CHANGE_API, type FakeZStack, sha512Hex, useFakeZStack, WORLD } from '../../../fakes/zstack/harness';

const request = { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}', note: 'kind {{kind}}, draft {{draftId}}: {{reason}}' }, executeTimes: 1 };

function draft(over: Partial<TicketDraft> = {}): TicketDraft {
  return { id: randomUUID(), title: 'Fix order 42', kind: 'DATA_CHANGE', sql: "UPDATE orders SET state = 'paid' WHERE id = 42;", database: 'shop', reason: 'customer paid "twice"', stakeholders: [], attachments: [], backendFields: {}, ...over };
}

const opened: ZStackBackend[] = [];
function open(fake: FakeZStack, who: { name: string; password: string } = WORLD.submitter, profile: Record<string, unknown> = {}): ZStackBackend {
  const backend = openZStackBackend(
    { name: 'zs', backend: 'zstack', endpoint: fake.url, loginAs: 'iam2', username: who.name, project: WORLD.project.name, request, ...profile },
    { secret: async () => undefined, env: { ZSTACK_PASSWORD: who.password } },
    { pollMs: 20 },
  );
  opened.push(backend);
  return backend;
}

async function rejects(promise: Promise<unknown>, kind: string, pattern: RegExp): Promise<DbTicketsError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DbTicketsError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a failure');
}

describe('ZStack backend (fake ZStack)', function () {
  this.timeout(20_000);
  const fake = useFakeZStack();
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((b) => b.dispose()));
  });

  it("offers its project's approval flow collections, with their steps, for the profile form", async () => {
    const choices = await open(fake()).profileChoices('flowCollectionUuid');
    assert.deepEqual(choices, [{ value: WORLD.flowCollection.uuid, label: WORLD.flowCollection.name, description: 'team-lead → dba · default' }]);
    assert.deepEqual(await open(fake()).profileChoices('project'), []);
  });

  it("offers a request template for each API of the server's ticket types", async () => {
    const templates = await open(fake()).profileChoices('request');
    const db = templates.find((t) => t.description === DB_CHANGE_API)!;
    assert.equal(db.label, WORLD.dbTicketType.name);
    assert.deepEqual(JSON.parse(db.value), { requestName: '{{title}}', apiName: DB_CHANGE_API, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 });
    assert.ok(templates.some((t) => t.label === WORLD.vmTicketType.name));
  });

  it('files a ticket over the async job protocol, with the profile request filled in and the draft marker', async () => {
    const alice = open(fake());
    const d = draft();
    const ticket = await alice.submit(d);
    assert.equal(ticket.status.state, 'pending_approval');
    assert.equal(ticket.status.native, 'Pending');
    assert.equal(ticket.title, 'Fix order 42');
    assert.equal(ticket.kind, 'DATA_CHANGE');
    assert.equal(ticket.database, 'shop');
    assert.equal(ticket.submitter?.name, 'alice');
    const stored = fake().ticket(ticket.id)!;
    assert.deepEqual(stored.requests[0], { requestName: 'Fix order 42', apiName: DB_CHANGE_API, executeTimes: 1, apiBody: { database: 'shop', sql: d.sql, note: `kind DATA_CHANGE, draft ${d.id}: customer paid "twice"` } });
    assert.deepEqual(stored.accountSystemContext, { projectUuid: WORLD.project.uuid, virtualIDUuid: WORLD.submitter.uuid });
    assert.match(stored.description!, new RegExp(`\\[db-tickets draft ${d.id}\\]$`));
    const create = fake().requestsOf('CreateTicket')[0];
    assert.match(create.headers['x-job-uuid'], /^[0-9a-f]{32}$/);
    assert.match(create.headers.authorization, /^OAuth [0-9a-f]{32}$/);
    const login = fake().requestsOf('LoginIAM2VirtualID')[0];
    assert.equal((login.body as { loginIAM2VirtualID: { password: string } }).loginIAM2VirtualID.password, sha512Hex(WORLD.submitter.password));
    assert.equal(fake().requestsOf('LoginIAM2Project').length, 1);
    // Polls go to the configured endpoint, not the internal address of the location.
    assert.ok(fake().requestsOf('pollJob').length >= 1);
    // Submitting the same draft again finds it.
    const again = await alice.submit(d);
    assert.equal(again.id, ticket.id);
    assert.equal(fake().tickets.length, 1);
  });

  it('runs the whole flow: alice submits, bob and carol approve, the request succeeds', async () => {
    const alice = open(fake());
    const ticket = await alice.submit(draft());
    const bob = open(fake(), WORLD.lead);
    const awaiting = await bob.list({ scope: 'awaiting_me' }, { size: 10 });
    assert.deepEqual(awaiting.items.map((t) => t.id), [ticket.id]);
    assert.equal(awaiting.items[0].needsYou, true);
    assert.deepEqual(awaiting.items[0].actions, ['approve', 'reject']);
    const afterBob = await bob.act(ticket.id, { action: 'approve', comment: 'looks right' });
    assert.equal(afterBob.status.native, 'IntermediateApproved');
    assert.equal(afterBob.needsYou, false);
    assert.deepEqual(afterBob.approvals.map((s) => s.state), ['approved', 'current']);
    const carol = open(fake(), WORLD.dba);
    const done = await carol.act(ticket.id, { action: 'approve' });
    assert.equal(done.status.native, 'FinalApproved');
    assert.equal(done.status.state, 'succeeded');
    assert.equal(done.execution?.statements?.[0].status, 'succeeded');
    assert.deepEqual(done.approvals.map((s) => [s.state, s.actedBy?.name]), [['approved', 'bob'], ['approved', 'carol']]);
    assert.deepEqual(done.history.map((e) => e.actor.name), ['alice', 'bob', 'carol']);
    assert.equal(done.comments[0].text, 'looks right');
    assert.equal(done.sql, "UPDATE orders SET state = 'paid' WHERE id = 42;");
    assert.equal(done.reason, 'customer paid "twice"');
    const listed = await alice.list({ states: ['succeeded'] }, { size: 10 });
    assert.equal(listed.items[0].status.state, 'succeeded');
    const redraft = await alice.redraft(ticket.id);
    assert.equal(redraft.sql, done.sql);
    assert.equal(redraft.backendFields.resubmitOf, ticket.id);
  });

  it('marks a ticket whose request failed on final approval as failed', async () => {
    fake().failApi(DB_CHANGE_API, 'table orders is locked');
    const ticket = await open(fake()).submit(draft());
    await open(fake(), WORLD.lead).act(ticket.id, { action: 'approve' });
    const done = await open(fake(), WORLD.dba).act(ticket.id, { action: 'approve' });
    assert.equal(done.status.state, 'failed');
    assert.equal(done.status.native, 'FinalApproved');
    assert.match(done.execution!.statements![0].message!, /table orders is locked/);
  });

  it('refuses an approval by someone who is not the current approver, and a cancel by someone else', async () => {
    const ticket = await open(fake()).submit(draft());
    const carol = open(fake(), WORLD.dba);
    await rejects(carol.act(ticket.id, { action: 'approve' }), 'conflict', /waits on step "team-lead \(team lead\)", whose approver is bob, not carol/);
    await rejects(carol.act(ticket.id, { action: 'cancel' }), 'conflict', /Only the submitter \(alice\) may cancel/);
    assert.equal(fake().requestsOf('ChangeTicketStatus').length, 0);
  });

  it('cancels and reopens, keeping comments; refuses a bare comment', async () => {
    const alice = open(fake());
    const ticket = await alice.submit(draft());
    const cancelled = await alice.act(ticket.id, { action: 'cancel', comment: 'wrong table' });
    assert.equal(cancelled.status.state, 'cancelled');
    assert.deepEqual(cancelled.actions, ['reopen', 'delete']);
    const reopened = await alice.act(ticket.id, { action: 'reopen' });
    assert.equal(reopened.status.native, 'Pending');
    assert.deepEqual(reopened.history.map((e) => e.action), ['submitted', 'cancelled', 'reopened']);
    await rejects(alice.act(ticket.id, { action: 'comment', comment: 'hi' }), 'usage', /comments only with a status change/);
  });

  it('recovers a lost 202 by polling the same job: one write, one ticket', async () => {
    fake().injectFault({ kind: 'lost202', operation: 'CreateTicket' });
    const ticket = await open(fake()).submit(draft());
    assert.equal(fake().tickets.length, 1);
    assert.equal(fake().requestsOf('CreateTicket').length, 1);
    assert.equal(fake().ticket(ticket.id)?.status, 'Pending');
  });

  it('after a lost 202 whose job result expired, finds the ticket in the lagging list instead of sending again', async () => {
    fake().listLagMs = 300;
    fake().injectFault({ kind: 'lost202', operation: 'CreateTicket' });
    fake().injectFault({ kind: 'jobExpired', operation: 'pollJob', times: 5 });
    const ticket = await open(fake()).submit(draft());
    assert.equal(fake().tickets.length, 1);
    assert.equal(fake().requestsOf('CreateTicket').length, 1);
    assert.equal(ticket.id, fake().tickets[0].uuid);
  });

  it('sends a write again (same job uuid) only when the service has no such job, e.g. after a reset', async () => {
    fake().injectFault({ kind: 'reset', operation: 'CreateTicket' });
    await open(fake()).submit(draft());
    assert.equal(fake().tickets.length, 1);
    const jobs = fake().requestsOf('CreateTicket').map((r) => r.headers['x-job-uuid']);
    assert.equal(jobs.length, 2);
    assert.equal(jobs[0], jobs[1]);
  });

  it('says so when an action\'s job result expired, without acting again', async () => {
    const ticket = await open(fake()).submit(draft());
    const bob = open(fake(), WORLD.lead);
    await bob.list({}, { size: 5 });
    fake().injectFault({ kind: 'lost202', operation: 'ChangeTicketStatus' });
    fake().injectFault({ kind: 'jobExpired', operation: 'pollJob', times: 10 });
    await rejects(bob.act(ticket.id, { action: 'approve' }), 'unavailable', /outcome of approving ticket #\w+ is unknown: its result expired.*show it with `db-tickets show/);
    assert.equal(fake().ticket(ticket.id)?.status, 'IntermediateApproved');
    assert.equal(new Set(fake().requestsOf('ChangeTicketStatus').map((r) => r.headers['x-job-uuid'])).size, 1);
  });

  it('waits for a slow job', async () => {
    fake().injectFault({ kind: 'slowJob', operation: 'CreateTicket', delayMs: 400 });
    const ticket = await open(fake()).submit(draft());
    assert.equal(ticket.status.native, 'Pending');
    assert.ok(fake().requestsOf('pollJob').filter((r) => r.status === 202).length >= 1);
  });

  it('logs in again once when the session expires mid-flow (a query and a write)', async () => {
    const alice = open(fake());
    await alice.list({}, { size: 5 });
    fake().injectFault({ kind: 'sessionExpired', operation: 'QueryTicket' });
    await alice.list({}, { size: 5 });
    fake().injectFault({ kind: 'sessionExpired', operation: 'CreateTicket' });
    await alice.submit(draft());
    assert.equal(fake().tickets.length, 1);
    assert.equal(fake().requestsOf('LoginIAM2VirtualID').length, 3);
  });

  it('after ID.1001 on a poll, asks the same job again instead of creating twice', async () => {
    fake().injectFault({ kind: 'sessionExpired', operation: 'pollJob' });
    await open(fake()).submit(draft());
    assert.equal(fake().tickets.length, 1);
    assert.equal(fake().requestsOf('CreateTicket').length, 1);
  });

  it('retries a query after a plain-text 502 and reports one that persists', async () => {
    const alice = open(fake());
    fake().injectFault({ kind: 'plain5xx', operation: 'QueryTicket' });
    await alice.list({}, { size: 5 });
    fake().injectFault({ kind: 'plain5xx', operation: 'QueryTicket', times: 5 });
    await rejects(alice.list({}, { size: 5 }), 'unavailable', /answered listing tickets with HTTP 502: 502 Bad Gateway\. The management node or a proxy/);
  });

  it('reads malformed answers of a write through its job', async () => {
    fake().injectFault({ kind: 'malformed', operation: 'CreateTicket' });
    await open(fake()).submit(draft());
    assert.equal(fake().tickets.length, 1);
  });

  it('refuses to submit without a request template, listing the ticket types', async () => {
    const alice = open(fake(), WORLD.submitter, { request: undefined });
    const error = await rejects(alice.submit(draft()), 'config', /no "request" template/);
    assert.match(error.message, /DATABASE_CHANGE_TICKET_TYPE \(org\.zstack\.header\.database\.APIExecuteDatabaseChangeMsg\)/);
    assert.match(error.message, /CREATE_VM_INSTANCE_TICKET_TYPE/);
  });

  it('maps a wrong password, an unknown project, an unknown api and a missing password to clear errors', async () => {
    await rejects(open(fake(), { name: 'alice', password: 'nope' }).list({}, { size: 5 }), 'auth', /ID\.1000.*check "username".*ZSTACK_PASSWORD/);
    await rejects(open(fake(), WORLD.submitter, { project: 'nowhere' }).list({}, { size: 5 }), 'config', /no IAM2 project "nowhere"/);
    await rejects(open(fake(), WORLD.submitter, { request: { apiName: 'org.example.APINopeMsg' } }).submit(draft()), 'config', /no API\[org\.example\.APINopeMsg\] found.*request\.apiName/);
    await rejects(open(fake(), { name: 'alice', password: '' }).list({}, { size: 5 }), 'config', /No ZStack password for profile "zs".*ZSTACK_PASSWORD/);
    await rejects(open(fake(), WORLD.submitter, { flowCollectionUuid: WORLD.otherFlowCollection.uuid }).submit(draft()), 'config', /flowCollectionUuid/);
    await rejects(open(fake(), WORLD.submitter).get('0123456789abcdef0123456789abcdef'), 'not_found', /no ticket #0123456789abcdef0123456789abcdef/);
  });

  it('reports a wrong endpoint path and an unreachable node', async () => {
    await rejects(open(fake(), WORLD.submitter, { endpoint: `${fake().url}/other` }).list({}, { size: 5 }), 'config', /no ZStack API for logging in.*check "endpoint"/);
    await rejects(open(fake(), WORLD.submitter, { endpoint: 'http://127.0.0.1:9' }).list({}, { size: 5 }), 'unavailable', /Could not reach ZStack at http:\/\/127\.0\.0\.1:9/);
  });

  it('logs in as an account and as a user of an account', async () => {
    const submitted = await open(fake()).submit(draft());
    const account = open(fake(), WORLD.account, { loginAs: 'account', project: undefined });
    const page = await account.list({}, { size: 5 });
    assert.deepEqual(page.items.map((t) => t.id), [submitted.id]);
    assert.equal((fake().requestsOf('LogInByAccount')[0].body as { logInByAccount: { accountName: string } }).logInByAccount.accountName, 'dbteam');
    await rejects(account.submit(draft()), 'config', /files tickets for an IAM2 virtual ID in a project/);
    const user = open(fake(), WORLD.user, { loginAs: 'user', accountName: 'dbteam', project: undefined });
    const check = await user.check();
    assert.match(check.facts.find((f) => f.label === 'Identity')!.value, /ops \(user of account dbteam/);
    assert.deepEqual((fake().requestsOf('LogInByUser')[0].body as { logInByUser: Record<string, string> }).logInByUser, { accountName: 'dbteam', userName: 'ops', password: sha512Hex(WORLD.user.password) });
  });

  it('shows an unknown status as unknown (value)', async () => {
    const ticket = await open(fake()).submit(draft());
    fake().setNativeStatus(ticket.id, 'Archived');
    const shown = await open(fake()).get(ticket.id);
    assert.deepEqual(shown.status, { state: 'unknown', native: 'Archived' });
    assert.deepEqual(shown.actions, []);
  });

  it('pages with start offsets and filters states on the server', async () => {
    const alice = open(fake());
    for (let i = 0; i < 3; i++) await alice.submit(draft({ title: `t${i}` }));
    const first = await alice.list({}, { size: 2 });
    assert.equal(first.items.length, 2);
    assert.equal(first.total, 3);
    assert.equal(first.nextCursor, '2');
    const second = await alice.list({}, { size: 2, cursor: first.nextCursor });
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, undefined);
    const rejected = await alice.list({ states: ['rejected'] }, { size: 2 });
    assert.equal(rejected.items.length, 0);
    assert.deepEqual(fake().requestsOf('QueryTicket').at(-1)!.query.q, ['status?=Rejected']);
  });

  it('checks identity, project, flow collection and ticket types, and logs out on dispose', async () => {
    const alice = open(fake());
    const check = await alice.check();
    const facts = Object.fromEntries(check.facts.map((f) => [f.label, f.value]));
    assert.match(facts.Identity, /alice \(IAM2 virtual ID/);
    assert.match(facts.Project, /db-changes \(28c9a199e3e842d28c9805eb89be56cb\)/);
    assert.match(facts['Flow collection'], /two-step review .*team-lead → dba/);
    assert.match(facts['Ticket types'], /DATABASE_CHANGE_TICKET_TYPE/);
    assert.deepEqual(check.warnings, []);
    await alice.dispose();
    opened.splice(opened.indexOf(alice), 1);
    assert.equal(fake().requestsOf('LogOut').length, 2);
  });

  describe('re-submitting a draft of a ticket (resubmitOf)', () => {
    const fixed = "UPDATE orders SET state = 'paid' WHERE id = 43;";

    it('puts the new SQL into the user\'s cancelled ticket and reopens it, exactly once on the draft id', async () => {
      const alice = open(fake());
      const ticket = await alice.submit(draft());
      await alice.act(ticket.id, { action: 'cancel', comment: 'wrong order' });
      const next = { ...(await alice.redraft(ticket.id)), sql: fixed };
      assert.equal(next.backendFields.resubmitOf, ticket.id);
      const again = await alice.submit(next);
      assert.equal(again.id, ticket.id);
      assert.equal(again.status.native, 'Pending');
      assert.equal(fake().tickets.length, 1);
      assert.equal(fake().ticket(ticket.id)!.requests[0].apiBody.sql, fixed);
      const detail = await alice.get(ticket.id);
      assert.equal(detail.sql, fixed);
      assert.deepEqual(detail.history.map((e) => e.action), ['submitted', 'cancelled', 'reopened with the SQL and requests of a new draft']);
      assert.match(String(detail.history.at(-1)!.comment), new RegExp(`^Re-submitted: .*\\[db-tickets draft ${next.id}\\]$`));
      assert.equal(detail.approvals[0].state, 'current');

      // The same draft again, from this process and another: nothing more is sent.
      assert.equal((await alice.submit(next)).id, ticket.id);
      assert.equal((await open(fake()).submit(next)).id, ticket.id);
      assert.equal(fake().requestsOf('UpdateTicketRequest').length, 1);
      assert.equal(fake().requestsOf('ChangeTicketStatus').length, 2);
      assert.equal(fake().requestsOf('CreateTicket').length, 1);
    });

    it('after a failure between the update and the reopen, submitting again only reopens', async () => {
      const alice = open(fake());
      const ticket = await alice.submit(draft());
      await alice.act(ticket.id, { action: 'cancel' });
      const next = { ...(await alice.redraft(ticket.id)), sql: fixed };
      fake().injectFault({ kind: 'plain5xx', operation: 'ChangeTicketStatus', status: 500, times: 20 });
      await assert.rejects(alice.submit(next));
      fake().clearFaults();
      assert.equal(fake().ticket(ticket.id)!.status, 'Cancelled');
      assert.equal(fake().ticket(ticket.id)!.requests[0].apiBody.sql, fixed);
      const done = await alice.submit(next);
      assert.equal(done.id, ticket.id);
      assert.equal(done.status.native, 'Pending');
      assert.equal(fake().requestsOf('UpdateTicketRequest').length, 1);
      assert.equal(fake().tickets.length, 1);
    });

    it('files a new ticket for a rejected ticket, or one that is not the user\'s', async () => {
      const alice = open(fake());
      const ticket = await alice.submit(draft());
      await open(fake(), WORLD.lead).act(ticket.id, { action: 'reject', comment: 'no' });
      const next = { ...(await alice.redraft(ticket.id)), sql: fixed };
      const created = await alice.submit(next);
      assert.notEqual(created.id, ticket.id);
      assert.equal(fake().ticket(ticket.id)!.status, 'Rejected');
      assert.equal(fake().requestsOf('UpdateTicketRequest').length, 0);
      assert.equal((await alice.submit(next)).id, created.id);
      assert.equal(fake().tickets.length, 2);
    });
  });
});

describe('ZStack ticket uuids', () => {
  it('are shaped as ZStack requires of a resourceUuid, the same for the same draft and different across drafts', () => {
    const ids = ['a', 'draft-1', randomUUID(), 'x'.repeat(64), '设计变更', ...Array.from({ length: 500 }, (_, i) => `run-${i}`)];
    const uuids = ids.map(ticketUuidOf);
    for (const uuid of uuids) assert.match(uuid, /^[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}$/);
    assert.equal(new Set(uuids).size, ids.length);
    assert.equal(ticketUuidOf('draft-1'), uuids[1]);
  });
});
