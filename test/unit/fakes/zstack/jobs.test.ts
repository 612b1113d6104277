import * as assert from 'node:assert/strict';
import { useFakeZStack } from '../../../fakes/zstack/harness';
import { asSubmitter, awaitJob, hex32, jobPath, send, ticketParams } from './wire';

describe('fake ZStack: the async job protocol', () => {
  const fake = useFakeZStack({ internalBaseUrl: 'http://10.0.0.5:8080', jobDurationMs: 60 });
  const create = (session: string, jobUuid?: string) => send(fake(), 'POST', '/tickets', { session, jobUuid, body: { params: ticketParams(), systemTags: [], userTags: [] } });

  it('answers a write 202 with a location on the internal address, then 202 while running, then 200 with the result', async () => {
    const session = await asSubmitter(fake());
    const accepted = await create(session);
    assert.equal(accepted.status, 202);
    assert.match(accepted.json.location, /^http:\/\/10\.0\.0\.5:8080\/zstack\/v1\/api-jobs\/[0-9a-f]{32}$/);
    const running = await send(fake(), 'GET', jobPath(accepted.json.location), { session });
    assert.equal(running.status, 202);
    assert.equal(fake().tickets.length, 0, 'the job has not run yet');
    const done = await awaitJob(fake(), accepted.json.location, session);
    assert.equal(done.status, 200);
    assert.equal(done.json.inventory.status, 'Pending');
    assert.equal(fake().tickets.length, 1);
    assert.ok(fake().requestsOf('pollJob').length >= 2);
  });

  it('finishes a failed job with 503 and the error', async () => {
    const session = await asSubmitter(fake());
    const accepted = await send(fake(), 'POST', '/tickets', { session, body: { params: ticketParams({ accountSystemType: 'ldap' }) } });
    assert.equal(accepted.status, 202, 'argument checks run in the job, after the 202');
    const done = await awaitJob(fake(), accepted.json.location, session);
    assert.equal(done.status, 503);
    assert.equal(done.json.error.code, 'SYS.1007');
    assert.match(done.json.error.details, /no accountSystemType\[ldap\]/);
  });

  it('answers 404 "the job has been expired" once the result has been kept long enough, and for unknown jobs', async () => {
    fake().jobDurationMs = 0;
    fake().jobResultTtlMs = 50;
    const session = await asSubmitter(fake());
    const accepted = await create(session);
    assert.equal((await send(fake(), 'GET', jobPath(accepted.json.location))).status, 200);
    await new Promise((r) => setTimeout(r, 70));
    const late = await send(fake(), 'GET', jobPath(accepted.json.location));
    assert.equal(late.status, 404);
    assert.equal(late.text, 'the job has been expired');
    assert.equal((await send(fake(), 'GET', `/api-jobs/${hex32()}`)).status, 404);
  });

  it('allows only GET on api-jobs', async () => {
    const reply = await send(fake(), 'DELETE', `/api-jobs/${hex32()}`);
    assert.equal(reply.status, 405);
  });

  it('takes the client’s X-Job-UUID as the job, and never runs a second write with the same one', async () => {
    const session = await asSubmitter(fake());
    const jobUuid = hex32();
    const first = await create(session, jobUuid);
    assert.equal(first.status, 202);
    assert.ok(first.json.location.endsWith(`/api-jobs/${jobUuid}`));
    const again = await create(session, jobUuid);
    assert.equal(again.status, 400);
    assert.equal(again.text, `Duplicate job uuid[${jobUuid}]`);
    const done = await awaitJob(fake(), `http://10.0.0.5:8080/zstack/v1/api-jobs/${jobUuid}`, session);
    assert.equal(done.status, 200);
    assert.equal(fake().tickets.length, 1);
    assert.deepEqual(fake().writeJobUuids(), [jobUuid, jobUuid]);
  });

  it('can answer a repeated X-Job-UUID with the same job instead (still run once)', async () => {
    fake().duplicateJobUuid = 'sameJob';
    const session = await asSubmitter(fake());
    const jobUuid = hex32();
    const first = await create(session, jobUuid);
    const again = await create(session, jobUuid);
    assert.equal(again.status, 202);
    assert.equal(again.json.location, first.json.location);
    await awaitJob(fake(), first.json.location, session);
    assert.equal(fake().tickets.length, 1);
  });

  it('refuses an X-Job-UUID that is not 32 characters (plain-text 400)', async () => {
    const session = await asSubmitter(fake());
    const reply = await create(session, '2f1e7a3c-4b5d-4e6f-8a9b-0c1d2e3f4a5b');
    assert.equal(reply.status, 400);
    assert.match(reply.text, /Invalid header\[X-Job-UUID\]/);
    assert.equal(fake().tickets.length, 0);
  });

  it('checks the session when the job runs: an expired session fails the job with ID.1001', async () => {
    const session = await asSubmitter(fake());
    fake().expireSession(session);
    const accepted = await create(session);
    assert.equal(accepted.status, 202);
    const done = await awaitJob(fake(), accepted.json.location);
    assert.equal(done.status, 503);
    assert.equal(done.json.error.code, 'ID.1001');
    assert.equal(fake().tickets.length, 0);
  });

  it('refuses a body that is not JSON, or a field of the wrong type, with a plain-text 500 before any job', async () => {
    const session = await asSubmitter(fake());
    const garbage = await send(fake(), 'POST', '/tickets', { session, rawBody: '{"params": ' });
    assert.equal(garbage.status, 500);
    const wrongType = await send(fake(), 'POST', '/tickets', { session, body: { params: ticketParams({ requests: 'SELECT 1' }) } });
    assert.equal(wrongType.status, 500);
    assert.match(wrongType.text, /Expected BEGIN_ARRAY but was STRING/);
    const badTimes = await send(fake(), 'POST', '/tickets', { session, body: { params: ticketParams({ requests: [{ apiName: 'x', executeTimes: 'twice' }] }) } });
    assert.equal(badTimes.status, 500);
    assert.equal(fake().writeJobUuids().length, 0);
  });

  it('serves only /zstack/v1 paths it maps (plain-text 404) and the methods they take (405)', async () => {
    const session = await asSubmitter(fake());
    const unknown = await send(fake(), 'GET', '/vm-instances', { session });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.text, 'no api mapping to /v1/vm-instances');
    assert.equal((await send(fake(), 'GET', '/v1/tickets', { session })).status, 404);
    assert.equal((await send(fake(), 'PATCH', '/tickets', { session, body: {} })).status, 405);
    const noAction = await send(fake(), 'PUT', `/tickets/${hex32()}/actions`, { session, body: { approveTicket: {} } });
    assert.equal(noAction.status, 400);
    assert.match(noAction.text, /the body doesn't contain action mapping to the URL/);
  });
});
