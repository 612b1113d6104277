import * as assert from 'node:assert/strict';
import { DB_CHANGE_API, UNTYPED_APIS, useFakeZStack, VM_CREATE_API, WORLD } from '../../../fakes/zstack/harness';
import { asDba, asLead, asSubmitter, changeStatus, createTicket, loginAccount, loginVirtualId, send, write } from './wire';

describe('fake ZStack: IAM2 tickets', () => {
  const fake = useFakeZStack();

  const history = async (session: string, ticketUuid: string) => {
    const reply = await send(fake(), 'GET', `/tickets/histories?q=${encodeURIComponent(`ticketUuid=${ticketUuid}`)}&sort=%2Bsequence`, { session });
    assert.equal(reply.status, 200);
    return reply.json.inventories as Array<Record<string, unknown>>;
  };

  it('creates a ticket from the seed document’s fields, in the default flow collection, waiting on its first step', async () => {
    const session = await asSubmitter(fake());
    const done = await createTicket(fake(), session, { requests: [{ requestName: 'create vm', apiName: VM_CREATE_API, executeTimes: 1.0, apiBody: { name: 'vm name', timeout: -1.0, headers: {} } }] }, undefined);
    assert.equal(done.status, 200);
    const t = done.json.inventory;
    assert.match(t.uuid, /^[0-9a-f]{32}$/);
    assert.equal(t.status, 'Pending');
    assert.equal(t.flowCollectionUuid, WORLD.flowCollection.uuid);
    assert.equal(t.ticketTypeUuid, WORLD.vmTicketType.uuid);
    assert.equal(t.currentFlowUuid, fake().flows.collection(WORLD.flowCollection.uuid)!.flows[0].uuid);
    assert.deepEqual(t.accountSystemContext, { projectUuid: WORLD.project.uuid, virtualIDUuid: WORLD.submitter.uuid });
    assert.equal(t.request[0].apiName, VM_CREATE_API);
  });

  const refusals: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['no name', { name: undefined }, 'SYS.1007', /field\[name\].*mandatory/],
    ['a name over 255 characters', { name: 'n'.repeat(256) }, 'SYS.1007', /max length/],
    ['empty requests', { requests: [] }, 'SYS.1007', /requests/],
    ['no accountSystemContext', { accountSystemContext: undefined }, 'SYS.1007', /accountSystemContext/],
    ['an unknown accountSystemType', { accountSystemType: 'ldap' }, 'SYS.1007', /no accountSystemType\[ldap\] defined in system/],
    ['an unknown API class', { requests: [{ apiName: 'org.example.APIDropDatabaseMsg', apiBody: {} }] }, 'SYS.1007', /no API\[org\.example\.APIDropDatabaseMsg\] found/],
    ['an API no ticket type covers', { requests: [{ apiName: UNTYPED_APIS[0], apiBody: {} }] }, 'SYS.1007', /not matched ticket type found/],
    ['a flow collection of another project', { flowCollectionUuid: WORLD.otherFlowCollection.uuid }, 'SYS.1006', /not belong the project/],
    ['a project the virtual ID is not in', { accountSystemContext: { projectUuid: WORLD.otherProject.uuid, virtualIDUuid: WORLD.submitter.uuid } }, 'SYS.1007', /not belong to project/],
    ['a resourceUuid that is no UUID (a plain hash)', { resourceUuid: 'f'.repeat(32) }, 'SYS.1007', /resourceUuid\[f{32}\] is not a valid uuid/],
    ['a resourceUuid with dashes', { resourceUuid: '0f8fad5b-d9cb-469f-a165-70867728950e' }, 'SYS.1007', /is not a valid uuid/],
    ['another virtual ID as submitter', { accountSystemContext: { projectUuid: WORLD.project.uuid, virtualIDUuid: WORLD.lead.uuid } }, 'SYS.1006', /needs to be done by account\/virtual ID/],
  ];
  for (const [label, overrides, code, details] of refusals) {
    it(`refuses a ticket with ${label} (${code})`, async () => {
      const session = await asSubmitter(fake());
      const done = await createTicket(fake(), session, overrides);
      assert.equal(done.status, 503);
      assert.equal(done.json.error.code, code);
      assert.match(done.json.error.details, details);
      assert.equal(fake().tickets.length, 0);
    });
  }

  it('goes Pending → IntermediateApproved → FinalApproved through the two steps, recording who moved it and the comments', async () => {
    const alice = await asSubmitter(fake());
    const bob = await asLead(fake());
    const carol = await asDba(fake());
    const uuid = (await createTicket(fake(), alice, { requests: [{ apiName: DB_CHANGE_API, executeTimes: 2, apiBody: { sql: 'CREATE INDEX i ON t(c)' } }] })).json.inventory.uuid;
    const first = await changeStatus(fake(), bob, uuid, 'approve', 'looks fine');
    assert.equal(first.json.inventory.status, 'IntermediateApproved');
    assert.equal(first.json.inventory.currentFlowUuid, fake().flows.collection(WORLD.flowCollection.uuid)!.flows[1].uuid);
    const second = await changeStatus(fake(), carol, uuid, 'approve', 'ship it');
    assert.equal(second.json.inventory.status, 'FinalApproved');
    assert.equal(second.json.inventory.currentFlowUuid, null);
    const entries = await history(alice, uuid);
    assert.deepEqual(entries.map((h) => [h.fromStatus, h.toStatus, h.operatorUuid, h.comment, h.flowName]), [
      [null, 'Pending', WORLD.submitter.uuid, null, null],
      ['Pending', 'IntermediateApproved', WORLD.lead.uuid, 'looks fine', 'team-lead'],
      ['IntermediateApproved', 'FinalApproved', WORLD.dba.uuid, 'ship it', 'dba'],
    ]);
    assert.equal(entries[2].operatorType, 'IAM2VirtualIDVO');
    assert.deepEqual((entries[2].operationContext as { requestResults: unknown[] }).requestResults, [{ requestName: DB_CHANGE_API, successTimes: 2, failureTimes: 0, errors: [] }]);
  });

  it('records failed executions for an API the fake is told to fail', async () => {
    fake().failApi(DB_CHANGE_API, 'Table t does not exist');
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice, { requests: [{ apiName: DB_CHANGE_API, apiBody: {} }] })).json.inventory.uuid;
    await changeStatus(fake(), await asLead(fake()), uuid, 'approve');
    const final = await changeStatus(fake(), await asDba(fake()), uuid, 'approve');
    assert.equal(final.json.inventory.status, 'FinalApproved');
    const last = (await history(alice, uuid)).at(-1)!;
    const [result] = (last.operationContext as { requestResults: Array<{ successTimes: number; failureTimes: number; errors: Array<{ code: string; details: string }> }> }).requestResults;
    assert.equal(result.successTimes, 0);
    assert.equal(result.failureTimes, 1);
    assert.equal(result.errors[0].details, 'Table t does not exist');
  });

  it('lets only the current step’s approver approve or reject (SYS.1006)', async () => {
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    const carolFirst = await changeStatus(fake(), await asDba(fake()), uuid, 'approve');
    assert.equal(carolFirst.status, 503);
    assert.equal(carolFirst.json.error.code, 'SYS.1006');
    assert.match(carolFirst.json.error.details, new RegExp(`virtual ID\\[uuid:${WORLD.lead.uuid}\\]`));
    const self = await changeStatus(fake(), alice, uuid, 'approve');
    assert.equal(self.json.error.code, 'SYS.1006');
    const admin = await changeStatus(fake(), await loginAccount(fake(), 'admin', 'password'), uuid, 'reject');
    assert.equal(admin.json.error.code, 'SYS.1006');
    assert.equal(fake().ticket(uuid)!.status, 'Pending');
    const rejected = await changeStatus(fake(), await asLead(fake()), uuid, 'reject', 'no index on a hot table');
    assert.equal(rejected.json.inventory.status, 'Rejected');
  });

  it('lets only the creator cancel and reopen, each in the right state', async () => {
    const alice = await asSubmitter(fake());
    const bob = await asLead(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    const bobCancels = await changeStatus(fake(), bob, uuid, 'cancel');
    assert.equal(bobCancels.json.error.code, 'SYS.1006');
    assert.match(bobCancels.json.error.details, /is not the owner of the ticket/);
    const reopenPending = await changeStatus(fake(), alice, uuid, 'reopen');
    assert.equal(reopenPending.json.error.code, 'SYS.1006');
    assert.match(reopenPending.json.error.details, /the ticket is in status of Pending, cannot do the operation\[reopen\]/);
    assert.equal((await changeStatus(fake(), alice, uuid, 'cancel', 'wrong table')).json.inventory.status, 'Cancelled');
    assert.equal((await changeStatus(fake(), bob, uuid, 'approve')).json.error.code, 'SYS.1006', 'a cancelled ticket cannot be approved');
    const reopened = await changeStatus(fake(), alice, uuid, 'reopen');
    assert.equal(reopened.json.inventory.status, 'Pending');
    assert.equal(reopened.json.inventory.currentFlowUuid, fake().flows.collection(WORLD.flowCollection.uuid)!.flows[0].uuid, 'back to the first step');
    const unknownEvent = await changeStatus(fake(), alice, uuid, 'withdraw');
    assert.equal(unknownEvent.json.error.code, 'SYS.1007');
  });

  it('updates the requests only after a cancel, then reopens', async () => {
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    const update = (session: string) =>
      write(fake(), 'PUT', `/tickets/${uuid}/actions`, { session, body: { updateTicketRequest: { requests: [{ requestName: 'v2', apiName: DB_CHANGE_API, executeTimes: 1, apiBody: { sql: 'SELECT 2' } }], description: 'second try' } } });
    const early = await update(alice);
    assert.equal(early.status, 503);
    assert.match(early.json.error.details, /can only be updated after being cancelled, current status is Pending/);
    await changeStatus(fake(), alice, uuid, 'cancel');
    assert.equal((await update(await asLead(fake()))).json.error.code, 'SYS.1006', 'only the owner updates');
    const updated = await update(alice);
    assert.equal(updated.status, 200);
    assert.equal(updated.json.inventory.request[0].requestName, 'v2');
    assert.equal(updated.json.inventory.description, 'second try');
    assert.equal(updated.json.inventory.ticketTypeUuid, WORLD.dbTicketType.uuid);
    assert.equal((await changeStatus(fake(), alice, uuid, 'reopen')).json.inventory.status, 'Pending');
  });

  it('deletes a ticket (owner only); the final poll of a delete has an empty body', async () => {
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    const byBob = await write(fake(), 'DELETE', `/tickets/${uuid}`, { session: await asLead(fake()) });
    assert.equal(byBob.json.error.code, 'SYS.1006');
    const done = await write(fake(), 'DELETE', `/tickets/${uuid}`, { session: alice });
    assert.equal(done.status, 200);
    assert.equal(done.text, '');
    assert.equal(fake().ticket(uuid), undefined);
    assert.deepEqual((await send(fake(), 'GET', `/tickets/${uuid}`, { session: alice })).json.inventories, []);
  });

  it('shows tickets to their submitter and approvers, not to others', async () => {
    const alice = await asSubmitter(fake());
    await createTicket(fake(), alice);
    const seen = async (session: string) => (await send(fake(), 'GET', '/tickets', { session })).json.inventories.length;
    assert.equal(await seen(alice), 1);
    assert.equal(await seen(await asDba(fake())), 1);
    assert.equal(await seen(await loginVirtualId(fake(), WORLD.outsider.name, WORLD.outsider.password)), 0);
    assert.equal(await seen(await loginAccount(fake(), 'admin', 'password')), 1);
  });

  it('takes any native status a test sets, and refuses transitions from it', async () => {
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    fake().setNativeStatus(uuid, 'Archived');
    assert.equal((await send(fake(), 'GET', `/tickets/${uuid}`, { session: alice })).json.inventories[0].status, 'Archived');
    const cancel = await changeStatus(fake(), alice, uuid, 'cancel');
    assert.match(cancel.json.error.details, /status of Archived, cannot do the operation\[cancel\]/);
  });
});
