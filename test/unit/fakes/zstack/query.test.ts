import * as assert from 'node:assert/strict';
import { useFakeZStack, WORLD } from '../../../fakes/zstack/harness';
import { asSubmitter, createTicket, send } from './wire';

/** Query strings are built per spec: each q value URL-encoded, a leading "+" sent as %2B. */
const qs = (pairs: Array<[string, string]>) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

describe('fake ZStack: query APIs', () => {
  const fake = useFakeZStack();
  let session = '';
  const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];

  beforeEach(async () => {
    session = await asSubmitter(fake());
    for (const name of names) await createTicket(fake(), session, { name });
    // Distinct creation times, one second apart, in creation order.
    fake().tickets.forEach((t, i) => (t.createdAt = t.lastOpAt = Date.UTC(2026, 0, 1, 0, 0, i)));
  });

  const query = async (pairs: Array<[string, string]>, path = '/tickets') => {
    const reply = await send(fake(), 'GET', `${path}?${qs(pairs)}`, { session });
    return reply;
  };
  const namesOf = (reply: { json: { inventories: Array<{ name: string }> } }) => reply.json.inventories.map((t) => t.name);

  it('filters with =, !=, ?= (in), !?= (not in), ~= (like), !~= and ANDs several q', async () => {
    assert.deepEqual(namesOf(await query([['q', 'name=beta']])), ['beta']);
    assert.deepEqual(namesOf(await query([['q', 'name!=beta']])).sort(), ['alpha', 'delta', 'epsilon', 'gamma']);
    assert.deepEqual(namesOf(await query([['q', 'name?=alpha, gamma']])).sort(), ['alpha', 'gamma']);
    assert.deepEqual(namesOf(await query([['q', 'name!?=alpha,gamma,delta']])).sort(), ['beta', 'epsilon']);
    assert.deepEqual(namesOf(await query([['q', 'name~=%ta']])).sort(), ['beta', 'delta']);
    assert.deepEqual(namesOf(await query([['q', 'name!~=%a']])).sort(), ['epsilon']);
    assert.deepEqual(namesOf(await query([['q', 'name~=%a'], ['q', 'name!=alpha'], ['q', 'status=Pending']])).sort(), ['beta', 'delta', 'gamma']);
  });

  it('compares timestamps given as "yyyy-mm-dd hh:mm:ss" with >, <, >=, <=', async () => {
    assert.deepEqual(namesOf(await query([['q', 'createDate>2026-01-01 00:00:02']])).sort(), ['delta', 'epsilon']);
    assert.deepEqual(namesOf(await query([['q', 'createDate<=2026-01-01 00:00:01']])).sort(), ['alpha', 'beta']);
    const bad = await query([['q', 'createDate>yesterday']]);
    assert.equal(bad.status, 503);
    assert.equal(bad.json.error.code, 'SYS.1000');
  });

  it('matches NULL only with "is null" / "not null"', async () => {
    fake().tickets[2].currentFlowUuid = null;
    assert.deepEqual(namesOf(await query([['q', 'currentFlowUuid is null']])), ['gamma']);
    assert.equal(namesOf(await query([['q', 'currentFlowUuid not null']])).length, 4);
    assert.equal(namesOf(await query([['q', 'currentFlowUuid!=nothing']])).length, 4, 'NULL != x is not true');
    assert.equal(namesOf(await query([['q', 'currentFlowUuid!?=nothing,else']])).length, 4, 'NULL NOT IN (…) is not true');
    assert.equal(namesOf(await query([['sort', '+currentFlowUuid']]))[0], 'gamma', 'NULL sorts first ascending');
    assert.equal(namesOf(await query([['sort', '-currentFlowUuid']])).at(-1), 'gamma', 'and last descending');
  });

  it('sorts with +field / -field and pages with limit and start after filtering; replyWithCount gives the total', async () => {
    const desc = await query([['sort', '-createDate'], ['limit', '2'], ['start', '1'], ['replyWithCount', 'true'], ['q', 'name!=gamma']]);
    assert.deepEqual(namesOf(desc), ['delta', 'beta']);
    assert.equal(desc.json.total, 4);
    assert.deepEqual(namesOf(await query([['sort', '+name']])), ['alpha', 'beta', 'delta', 'epsilon', 'gamma']);
    const raw = await send(fake(), 'GET', '/tickets?sort=+name&limit=1', { session });
    assert.deepEqual(namesOf(raw), ['alpha'], 'a raw "+" decodes to a space, trimmed: still ascending');
    assert.equal((await query([['limit', '2']])).json.total, undefined, 'no total unless asked');
    assert.deepEqual((await query([['count', 'true']])).json.total, 5);
  });

  it('gets one resource by /{uuid}', async () => {
    const uuid = fake().tickets[2].uuid;
    const reply = await send(fake(), 'GET', `/tickets/${uuid}`, { session });
    assert.deepEqual(namesOf(reply), ['gamma']);
    assert.equal(reply.json.inventories[0].accountSystemContext.virtualIDUuid, WORLD.submitter.uuid);
    assert.ok(Array.isArray(reply.json.inventories[0].request), 'the inventory calls its requests "request"');
    assert.equal(typeof reply.json.schema, 'object');
  });

  it('refuses unknown fields (503 SYS.1007), a condition without operator and a non-integer limit (plain 400)', async () => {
    const unknown = await query([['q', 'owner=alice']]);
    assert.equal(unknown.status, 503);
    assert.equal(unknown.json.error.code, 'SYS.1007');
    assert.match(unknown.json.error.details, /condition name\[owner\] is invalid, no such field on inventory class\[org\.zstack\.ticket\.entity\.TicketInventory\]/);
    const sort = await query([['sort', '-owner']]);
    assert.equal(sort.json.error.code, 'SYS.1007');
    const noOp = await query([['q', 'name']]);
    assert.equal(noOp.status, 400);
    assert.match(noOp.text, /doesn't contain any query operator/);
    const limit = await query([['limit', 'ten']]);
    assert.equal(limit.status, 400);
    assert.equal(limit.text, "Invalid query parameter. 'limit' must be an integer");
    const status = await query([['q', 'status=Open']]);
    assert.equal(status.json.error.code, 'SYS.1000', 'a value outside the status enum does not parse');
  });

  it('resolves names to uuids with the IAM2 project and virtual ID queries', async () => {
    const project = await query([['q', `name=${WORLD.project.name}`]], '/iam2/projects');
    assert.equal(project.json.inventories[0].uuid, WORLD.project.uuid);
    const vid = await query([['q', 'name=carol']], '/iam2/virtual-ids');
    assert.equal(vid.json.inventories[0].uuid, WORLD.dba.uuid);
    assert.equal(vid.json.inventories[0].password, undefined);
  });

  it('shows a new ticket in lists only after listLagMs, but at once by uuid', async () => {
    fake().listLagMs = 200;
    const created = await createTicket(fake(), session, { name: 'fresh' });
    const uuid = created.json.inventory.uuid;
    assert.ok(!namesOf(await query([])).includes('fresh'));
    assert.deepEqual(namesOf(await query([['q', `uuid=${uuid}`]])), ['fresh']);
    assert.deepEqual(namesOf(await send(fake(), 'GET', `/tickets/${uuid}`, { session })), ['fresh']);
    await new Promise((r) => setTimeout(r, 220));
    assert.ok(namesOf(await query([])).includes('fresh'));
  });

  it('lists ticket types and the flow collection with its approvers in order', async () => {
    const types = await query([['sort', 'name']], '/ticket-types');
    assert.deepEqual(types.json.inventories.map((t: { uuid: string }) => t.uuid).sort(), [WORLD.vmTicketType.uuid, WORLD.dbTicketType.uuid].sort());
    const collection = await send(fake(), 'GET', `/tickets/flow-collections/${WORLD.flowCollection.uuid}`, { session });
    const flows = collection.json.inventories[0].flows;
    assert.deepEqual(flows.map((f: { approverUuid: string }) => f.approverUuid), [WORLD.lead.uuid, WORLD.dba.uuid]);
    assert.equal(flows[1].parentFlowUuid, flows[0].uuid);
    const flow = await query([['q', `collectionUuid=${WORLD.flowCollection.uuid}`], ['q', 'parentFlowUuid is null']], '/tickets/flow');
    assert.equal(flow.json.inventories[0].name, 'team-lead');
  });
});
