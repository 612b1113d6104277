import * as assert from 'node:assert/strict';
import { useFakeZStack } from '../../../fakes/zstack/harness';
import { asLead, asSubmitter, awaitJob, changeStatus, createTicket, hex32, jobPath, send, ticketParams } from './wire';

describe('fake ZStack: faults on demand', () => {
  const fake = useFakeZStack();
  const post = (session: string, jobUuid?: string) => send(fake(), 'POST', '/tickets', { session, jobUuid, body: { params: ticketParams() } });
  const location = (jobUuid: string) => `http://10.0.0.5:8080/zstack/v1/api-jobs/${jobUuid}`;

  it('lost202: the write is accepted and its job runs, but the socket dies; polling the client’s job uuid recovers it', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'lost202', operation: 'CreateTicket' });
    const jobUuid = hex32();
    await assert.rejects(post(session, jobUuid));
    assert.equal(fake().tickets.length, 1, 'the ticket was created');
    assert.equal(fake().requestsOf('CreateTicket')[0].status, 'destroyed');
    const done = await awaitJob(fake(), location(jobUuid), session);
    assert.equal(done.status, 200);
    assert.equal(done.json.inventory.uuid, fake().tickets[0].uuid);
  });

  it('reset: the socket dies and nothing is done', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'reset', operation: 'CreateTicket' });
    const jobUuid = hex32();
    await assert.rejects(post(session, jobUuid));
    assert.equal(fake().tickets.length, 0);
    assert.equal((await send(fake(), 'GET', jobPath(location(jobUuid)))).status, 404, 'no job was accepted');
    assert.equal((await post(session, jobUuid)).status, 202, 'the retry with the same job uuid is a first write');
  });

  it('slowJob: the job stays running for delayMs', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'slowJob', operation: 'CreateTicket', delayMs: 120 });
    const accepted = await post(session);
    const started = Date.now();
    assert.equal((await send(fake(), 'GET', jobPath(accepted.json.location))).status, 202);
    const done = await awaitJob(fake(), accepted.json.location, session, 10);
    assert.equal(done.status, 200);
    assert.ok(Date.now() - started >= 90);
  });

  it('sessionExpired: the next call gets ID.1001 and the session is dead until a new login', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'sessionExpired', operation: 'QueryTicket' });
    assert.equal((await send(fake(), 'GET', '/ticket-types', { session })).status, 200, 'other operations are not hit');
    const hit = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(hit.status, 503);
    assert.equal(hit.json.error.code, 'ID.1001');
    assert.equal((await send(fake(), 'GET', '/ticket-types', { session })).json.error.code, 'ID.1001');
    assert.equal((await send(fake(), 'GET', '/tickets', { session: await asSubmitter(fake()) })).status, 200);
  });

  it('sessionExpired on a write: 202, then the job fails with ID.1001 and does nothing', async () => {
    const alice = await asSubmitter(fake());
    const uuid = (await createTicket(fake(), alice)).json.inventory.uuid;
    fake().injectFault({ kind: 'sessionExpired', operation: 'ChangeTicketStatus' });
    const failed = await changeStatus(fake(), await asLead(fake()), uuid, 'approve');
    assert.equal(failed.status, 503);
    assert.equal(failed.json.error.code, 'ID.1001');
    assert.equal(fake().ticket(uuid)!.status, 'Pending');
  });

  it('sessionExpired mid-flow on a poll: that poll answers 503 ID.1001, the job’s result is still there', async () => {
    const session = await asSubmitter(fake());
    const accepted = await post(session);
    fake().injectFault({ kind: 'sessionExpired', operation: 'pollJob' });
    const hit = await send(fake(), 'GET', jobPath(accepted.json.location), { session });
    assert.equal(hit.status, 503);
    assert.equal(hit.json.error.code, 'ID.1001');
    assert.equal((await send(fake(), 'GET', '/tickets', { session })).json.error.code, 'ID.1001', 'the session is gone');
    assert.equal((await send(fake(), 'GET', jobPath(accepted.json.location))).status, 200);
  });

  it('plain5xx: a proxy’s plain-text 502 (or 503), nothing done', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'plain5xx', operation: 'CreateTicket' });
    fake().injectFault({ kind: 'plain5xx', operation: 'QueryTicket', status: 503 });
    const write = await post(session);
    assert.equal(write.status, 502);
    assert.match(write.contentType, /text\/plain/);
    assert.equal(write.json, undefined);
    assert.equal(fake().tickets.length, 0);
    const read = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(read.status, 503);
    assert.equal(read.json, undefined);
  });

  it('malformed: the answer is not valid JSON', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'malformed', operation: 'LoginIAM2VirtualID' });
    fake().injectFault({ kind: 'malformed', operation: 'QueryTicket', times: 2 });
    const login = await send(fake(), 'PUT', '/iam2/virtual-ids/login', { body: { loginIAM2VirtualID: { name: 'alice', password: 'x' } } });
    assert.throws(() => JSON.parse(login.text));
    for (let i = 0; i < 2; i++) {
      const reply = await send(fake(), 'GET', '/tickets', { session });
      assert.equal(reply.status, 200);
      assert.throws(() => JSON.parse(reply.text));
    }
    const after = await send(fake(), 'GET', '/tickets', { session });
    assert.doesNotThrow(() => JSON.parse(after.text), 'times is honoured');
  });

  it('wrongShape: the request is processed, the answer is valid JSON without the fields of the API', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'wrongShape', operation: 'QueryTicket' });
    const reply = await send(fake(), 'GET', '/tickets', { session });
    assert.equal(reply.status, 200);
    assert.equal(reply.json.inventories, undefined);
    assert.ok(Array.isArray(reply.json.data));
    assert.ok(Array.isArray((await send(fake(), 'GET', '/tickets', { session })).json.inventories), 'times is honoured');
  });

  it('throttle: a proxy’s 429 with Retry-After in whole seconds, nothing done', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'throttle', operation: 'CreateTicket', retryAfterMs: 1_500 });
    const write = await post(session);
    assert.equal(write.status, 429);
    assert.equal(write.retryAfter, '2');
    assert.equal(fake().tickets.length, 0);
    assert.equal((await post(session)).status, 202);
  });

  it('jobExpired: the job’s result is gone (404), named by pollJob or by the write that started it', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'jobExpired', operation: 'CreateTicket' });
    const accepted = await post(session);
    assert.equal(accepted.status, 202, 'the write itself is not hit');
    const gone = await send(fake(), 'GET', jobPath(accepted.json.location));
    assert.equal(gone.status, 404);
    assert.equal(gone.text, 'the job has been expired');
    assert.equal((await send(fake(), 'GET', jobPath(accepted.json.location))).status, 404, 'and stays gone');
    assert.equal(fake().tickets.length, 1, 'the job itself ran');
    fake().injectFault({ kind: 'jobExpired', operation: 'pollJob' });
    const other = await post(session);
    assert.equal((await send(fake(), 'GET', jobPath(other.json.location))).status, 404);
  });

  it('delay: the answer waits delayMs, then the call is served normally', async () => {
    const session = await asSubmitter(fake());
    fake().injectFault({ kind: 'delay', operation: 'QueryTicketType', delayMs: 100 });
    const started = Date.now();
    const reply = await send(fake(), 'GET', '/ticket-types', { session });
    assert.equal(reply.status, 200);
    assert.ok(Date.now() - started >= 90);
  });

  it('accepts the LogInByIAM2VirtualID spelling for the virtual ID login', async () => {
    fake().injectFault({ kind: 'reset', operation: 'LogInByIAM2VirtualID' });
    await assert.rejects(asSubmitter(fake()));
    assert.ok(await asSubmitter(fake()));
  });
});
