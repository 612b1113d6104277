import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHuaweiBackend } from '../../../../src/backends/huawei/openHuawei';
import { ACCESS_KEY, DOMAIN_ID, IAM_USER, TEMPORARY_KEY, useFakeOsm } from '../../../fakes/huawei/harness';
import { baseDraft } from '../../../conformance/conformance';
import { rejectsWith } from '../../../support/rejectsWith';
import { useHuaweiBackends } from './backendOnFake';
import { RDS, SQL_TYPE } from './cliEnvironment';

const FAULT_TYPE = '0f1e2d3c4b5a49687766554433221102';

describe('Huawei Cloud backend (fake OSM)', function () {
  this.timeout(20_000);
  const fake = useFakeOsm();
  const open = useHuaweiBackends(fake);

  it("offers the service's product categories, and the problem types of the category chosen, for the profile form", async () => {
    const categories = await open({ productCategoryId: undefined, businessTypeId: undefined }).profileChoices('productCategoryId');
    assert.ok(categories.some((c) => c.value === RDS && c.label === 'Relational Database Service'), JSON.stringify(categories));
    const types = await open({ businessTypeId: undefined }).profileChoices('businessTypeId');
    assert.deepEqual(types.find((t) => t.value === FAULT_TYPE), { value: FAULT_TYPE, label: 'Instance fault report', description: `${FAULT_TYPE} · fault report: needs a region` });
    assert.ok(types.some((t) => t.value === SQL_TYPE));
    assert.deepEqual(await open().profileChoices('regionId'), []);
  });

  describe('authentication', () => {
    it('AK/SK: looks the domain id up once through IAM, sends it, and the headers the service reads', async () => {
      const backend = open({ site: 'intl' }, undefined, {}, 'zh-CN');
      await backend.submit(baseDraft());
      await backend.list({}, { size: 10 });
      assert.equal(fake().requestsOf('iamDomains').length, 1);
      const osm = fake().requests.filter((r) => r.server === 'osm');
      assert.ok(osm.every((r) => r.verified && r.headers['x-domain-id'] === DOMAIN_ID && r.headers['x-language'] === 'zh-cn' && r.headers['x-site'] === '1' && /^GMT[+-]\d/.test(r.headers['x-time-zone'])));
    });

    it('a configured domain id (HUAWEICLOUD_SDK_DOMAIN_ID) needs no lookup; English unless the language is Chinese; no X-Site on the China site', async () => {
      await open({}, { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: ACCESS_KEY.sk, HUAWEICLOUD_SDK_DOMAIN_ID: DOMAIN_ID }).list({}, { size: 5 });
      assert.equal(fake().requestsOf('iamDomains').length, 0);
      const [list] = fake().requestsOf('listCases');
      assert.equal(list.headers['x-language'], 'en-us');
      assert.equal(list.headers['x-site'], undefined);
    });

    it('a temporary key signs with its security token', async () => {
      await open({ domainId: DOMAIN_ID }, { HUAWEICLOUD_SDK_AK: TEMPORARY_KEY.ak, HUAWEICLOUD_SDK_SK: TEMPORARY_KEY.sk, HUAWEICLOUD_SDK_SECURITY_TOKEN: TEMPORARY_KEY.securityToken }).list({}, { size: 5 });
      const [list] = fake().requestsOf('listCases');
      assert.ok(list.verified);
      assert.equal(list.headers['x-security-token'], TEMPORARY_KEY.securityToken);
    });

    it('the stored secrets come before the environment', async () => {
      const backend = openHuaweiBackend(
        { name: 'hw', backend: 'huawei', endpoint: fake().url, iamEndpoint: fake().iamUrl, domainId: DOMAIN_ID },
        { storeDir: mkdtempSync(join(tmpdir(), 'hw-store-')), secret: async (_p, key) => ({ accessKeyId: ACCESS_KEY.ak, secretAccessKey: ACCESS_KEY.sk })[key as 'accessKeyId'], env: { HUAWEICLOUD_SDK_AK: 'wrong', HUAWEICLOUD_SDK_SK: 'wrong' } },
      );
      try {
        await backend.list({}, { size: 5 });
        assert.ok(fake().requestsOf('listCases')[0].verified);
      } finally {
        await backend.dispose();
      }
    });

    it('no access key: a config error naming the variables', async () => {
      await rejectsWith(open({}, {}).list({}, { size: 5 }), 'config', /No access key ID and secret access key for profile "hw".*HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK/);
    });

    it('a wrong secret: auth error with what to do and the request id', async () => {
      await rejectsWith(open({ domainId: DOMAIN_ID }, { HUAWEICLOUD_SDK_AK: ACCESS_KEY.ak, HUAWEICLOUD_SDK_SK: 'not-the-secret' }).list({}, { size: 5 }), 'auth', /APIGW\.0301.*does not match the access key ID.*X-Request-Id [0-9a-f-]{36}/);
    });

    it('an unknown access key: auth error', async () => {
      await rejectsWith(open({ domainId: DOMAIN_ID }, { HUAWEICLOUD_SDK_AK: 'NOSUCHAK', HUAWEICLOUD_SDK_SK: 'x' }).list({}, { size: 5 }), 'auth', /access key ID \(from HUAWEICLOUD_SDK_AK \/ HUAWEICLOUD_SDK_SK\) is unknown/);
    });

    it('clock skew: says to fix the clock (config, not retried)', async () => {
      fake().injectFault({ kind: 'skew', operation: 'listCases' });
      await rejectsWith(open({ domainId: DOMAIN_ID }).list({}, { size: 5 }), 'config', /clock is more than 15 minutes off.*correct the clock/);
      assert.equal(fake().requestsOf('listCases').length, 1);
    });

    const tokenProfile = { auth: 'token', domainName: IAM_USER.domainName, userName: IAM_USER.userName };
    it('IAM token: logs in once (domain scope), reuses the token, sends no signature', async () => {
      const backend = open(tokenProfile, { HUAWEICLOUD_SDK_PASSWORD: IAM_USER.password });
      await backend.submit(baseDraft());
      await backend.list({}, { size: 5 });
      assert.equal(fake().requestsOf('iamToken').length, 1);
      assert.equal(fake().requestsOf('iamToken')[0].seen.tokenScope, 'domain');
      const osm = fake().requests.filter((r) => r.server === 'osm');
      assert.ok(osm.every((r) => r.verified && r.auth === 'token' && r.headers.authorization === undefined));
      const check = await backend.check();
      assert.ok(check.facts.some((f) => f.label === 'Domain id' && f.value === DOMAIN_ID));
    });

    it('IAM token: renewed once on a 401, and a write is then sent exactly once', async () => {
      const backend = open(tokenProfile, { HUAWEICLOUD_SDK_PASSWORD: IAM_USER.password });
      const ticket = await backend.submit(baseDraft());
      fake().injectFault({ kind: 'tokenExpired', operation: 'addMessage' });
      await backend.act(ticket.id, { action: 'comment', comment: 'any news?' });
      assert.equal(fake().requestsOf('iamToken').length, 2);
      assert.equal(fake().caseById(ticket.id)!.messages.filter((m) => m.content === 'any news?').length, 1);
    });

    it('IAM token: renewed when it has expired by its expires_at', async () => {
      fake().tokenLifetimeMs = 300;
      const backend = open(tokenProfile, { HUAWEICLOUD_SDK_PASSWORD: IAM_USER.password });
      await backend.list({}, { size: 5 });
      await new Promise((r) => setTimeout(r, 400));
      await backend.list({}, { size: 5 });
      assert.equal(fake().requestsOf('iamToken').length, 2);
      assert.ok(fake().requestsOf('listCases').every((r) => r.verified));
    });

    it('IAM token: a wrong password is an auth error naming the fix; no password is a config error', async () => {
      await rejectsWith(open(tokenProfile, { HUAWEICLOUD_SDK_PASSWORD: 'wrong' }).list({}, { size: 5 }), 'auth', /IAM did not accept the login.*HUAWEICLOUD_SDK_PASSWORD/);
      await rejectsWith(open(tokenProfile, {}).list({}, { size: 5 }), 'config', /No password for IAM user alice of profile "hw".*HUAWEICLOUD_SDK_PASSWORD/);
    });

    it('token auth without a user name is a profile error', () => {
      assert.throws(() => open({ auth: 'token', domainName: 'acme' }), /userName is missing/);
    });
  });

  describe('cases', () => {
    it('a draft becomes a case with the profile\'s types, the fixed source id and the marker; get reads it back', async () => {
      const backend = open({ domainId: DOMAIN_ID, severityId: 'sev-2', remindMail: 'dba@example.com' });
      const draft = baseDraft({ kind: 'SCHEMA_CHANGE', sql: 'ALTER TABLE orders ADD INDEX idx_customer (customer_id);', title: '订单表加索引' });
      const ticket = await backend.submit(draft);
      const stored = fake().caseById(ticket.id)!;
      assert.equal(stored.business_type_id, SQL_TYPE);
      assert.equal(stored.product_category_id, RDS);
      assert.equal(stored.severity_id, 'sev-2');
      assert.equal(stored.remind_mail, 'dba@example.com');
      assert.ok(stored.simple_description.endsWith(`[db-tickets draft ${draft.id}]`));
      const detail = await backend.get(ticket.id);
      assert.deepEqual([detail.title, detail.kind, detail.database, detail.sql, detail.status.state, detail.status.native], ['订单表加索引', 'SCHEMA_CHANGE', 'shop', draft.sql, 'pending_approval', '0']);
      assert.ok(detail.history.some((e) => e.action === 'create case'));
    });

    it('SQL beyond the description limit goes as a .txt attachment and comes back byte for byte', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const sql = `INSERT INTO t VALUES ${Array.from({ length: 400 }, (_, i) => `(${i}, '值 ${i}')`).join(',\n')};\n`;
      const ticket = await backend.submit(baseDraft({ kind: 'DATA_CHANGE', sql }));
      const stored = fake().caseById(ticket.id)!;
      assert.ok(stored.simple_description.length <= 1200);
      assert.match(stored.simple_description, /SQL: attached as db-tickets-.*-sql\.txt \(\d+ characters\)/);
      assert.equal(stored.accessory_ids.length, 1);
      assert.ok(fake().requestsOf('attachmentLimits').length === 1);
      const detail = await backend.get(ticket.id);
      assert.equal(detail.sql, sql);
      assert.match(detail.attachments[0].name, /\.txt$/);
    });

    it('refuses SQL too long when the service takes no .txt attachments', async () => {
      fake().attachments.limits.fileTypes = ['jpg', 'png'];
      await rejectsWith(open({ domainId: DOMAIN_ID }).submit(baseDraft({ sql: `SELECT '${'x'.repeat(1500)}'` })), 'usage', /takes no text attachments \(only jpg, png\)/);
      assert.equal(fake().cases.all.length, 0);
    });

    it('the problem type is checked against the service: unknown, missing, or a fault report without a region', async () => {
      await rejectsWith(open({ domainId: DOMAIN_ID, businessTypeId: 'nope' }).submit(baseDraft()), 'config', /"businessTypeId" nope .*is not a problem type.*0f1e2d3c4b5a49687766554433221101 \(SQL execution and changes\)/);
      await rejectsWith(open({ domainId: DOMAIN_ID, businessTypeId: undefined }).submit(baseDraft()), 'config', /names no problem type.*businessTypeId/);
      await rejectsWith(open({ domainId: DOMAIN_ID, businessTypeId: FAULT_TYPE }).submit(baseDraft()), 'config', /fault report, which needs a region.*regionId/);
      const ok = await open({ domainId: DOMAIN_ID, businessTypeId: FAULT_TYPE, regionId: 'cn-north-4' }).submit(baseDraft());
      assert.equal(fake().caseById(ok.id)!.region_id, 'cn-north-4');
    });

    it("counts an engineer's unread replies in the list (one call a page) until the case is read", async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const ticket = await backend.submit(baseDraft());
      const unread = async () => (await backend.list({}, { size: 10 })).items.find((t) => t.id === ticket.id)?.unreadReplies;
      assert.equal(await unread(), undefined, 'the description is not a reply');
      fake().addEngineerMessage(ticket.id, '已收到');
      fake().addEngineerMessage(ticket.id, '请提供实例 ID');
      const calls = fake().requestsOf('unreadMessages').length;
      assert.equal(await unread(), 2);
      assert.equal(fake().requestsOf('unreadMessages').length, calls + 1);
      await backend.get(ticket.id);
      assert.equal(await unread(), undefined, 'reading the case marks its replies read');
    });

    it('an engineer\'s reply is a comment from them; comment, urge, close and cancel act on the case', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const ticket = await backend.submit(baseDraft());
      fake().addEngineerMessage(ticket.id, '已收到，正在处理');
      let detail = await backend.act(ticket.id, { action: 'comment', comment: 'Thanks' });
      assert.deepEqual(detail.comments.map((c) => [c.author.name, c.text]), [['华为云技术支持 (Huawei Cloud support)', '已收到，正在处理'], ['alice', 'Thanks']]);
      detail = await backend.act(ticket.id, { action: 'urge' });
      assert.equal(fake().requestsOf('action').at(-1)!.query.action_id[0], 'press');
      await rejectsWith(backend.act(ticket.id, { action: 'urge' }), 'conflict', /OSM\.01010004.*urged a short while ago/);
      fake().setNativeStatus(ticket.id, 2);
      detail = await backend.get(ticket.id);
      assert.equal(detail.status.state, 'needs_you');
      assert.ok(detail.needsYou);
      assert.deepEqual(detail.actions, ['close', 'comment']);
      detail = await backend.act(ticket.id, { action: 'close', comment: 'solved' });
      assert.equal(detail.status.state, 'succeeded');
      await rejectsWith(backend.act(ticket.id, { action: 'cancel' }), 'conflict', /is succeeded \(status 3\), so it cannot be cancelled/);
      await rejectsWith(backend.act(ticket.id, { action: 'approve' }), 'usage', /no "approve" action/);
    });

    it('status 17 needs you, 12 is rejected, 13 cancelled, an unknown code is kept', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const ticket = await backend.submit(baseDraft());
      for (const [code, state] of [[17, 'needs_you'], [12, 'rejected'], [13, 'cancelled'], [30, 'unknown']] as const) {
        fake().setNativeStatus(ticket.id, code);
        const detail = await backend.get(ticket.id);
        assert.deepEqual([detail.status.state, detail.status.native], [state, String(code)]);
      }
    });

    it('a missing case is not_found with the service\'s code', async () => {
      await rejectsWith(open({ domainId: DOMAIN_ID }).get('CS000'), 'not_found', /OSM\.01010015.*no such case/);
    });

    it('list filters by one status at the service, by several here, and by keyword', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await backend.submit(baseDraft({ title: `Case ${i}`, reason: i === 1 ? 'inventory audit' : 'report' }))).id);
      fake().setNativeStatus(ids[0], 2);
      fake().setNativeStatus(ids[1], 3);
      fake().setNativeStatus(ids[2], 17);
      const one = await backend.list({ states: ['succeeded'] }, { size: 10 });
      assert.deepEqual(one.items.map((t) => t.id), [ids[1]]);
      assert.equal(fake().requestsOf('listCases').at(-1)!.query.status[0], '3');
      const needs = await backend.list({ states: ['needs_you'] }, { size: 1 });
      assert.deepEqual(needs.items.map((t) => t.id), [ids[2]]);
      const rest = await backend.list({ states: ['needs_you'] }, { size: 1, cursor: needs.nextCursor });
      assert.deepEqual(rest.items.map((t) => t.id), [ids[0]]);
      const byText = await backend.list({ text: 'inventory' }, { size: 10 });
      assert.deepEqual(byText.items.map((t) => t.id), [ids[1]]);
    });

    it('check shows the account, its id and the product / problem type choices', async () => {
      const check = await open({ businessTypeId: undefined, productCategoryId: undefined }).check();
      const fact = (label: string) => check.facts.find((f) => f.label === label)?.value ?? '';
      assert.equal(fact('Account'), IAM_USER.domainName);
      assert.equal(fact('Domain id'), DOMAIN_ID);
      assert.match(fact('Product categories'), /a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21 \(Relational Database Service\)/);
      assert.match(fact('Problem types'), /0f1e2d3c4b5a49687766554433221102 \(Instance fault report\)/);
      assert.match(check.warnings.join(' '), /No "businessTypeId"/);
    });
  });

  describe('faults', () => {
    it('a lost create answer: found by its marker, never sent again', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      fake().injectFault({ kind: 'dropAfterCommit', operation: 'createCase' });
      const ticket = await backend.submit(baseDraft());
      assert.equal(fake().cases.all.length, 1);
      assert.equal(fake().requestsOf('createCase').length, 1);
      assert.equal(ticket.id, fake().cases.all[0].incident_id);
    });

    it('a lost create answer while the list lags: waits for the list, one case', async () => {
      const backend = open({ domainId: DOMAIN_ID }, undefined, { lagWaitMs: 5_000 });
      fake().listLagMs = 1_000;
      fake().injectFault({ kind: 'dropAfterCommit', operation: 'createCase' });
      const ticket = await backend.submit(baseDraft());
      assert.equal(ticket.id, fake().cases.all[0].incident_id);
      assert.equal(fake().requestsOf('createCase').length, 1);
    });

    it('undecidable: outcome unknown, advising to submit the same draft again, which finds the case instead of filing another', async () => {
      const backend = open({ domainId: DOMAIN_ID }, undefined, { lagWaitMs: 300 });
      fake().listLagMs = 60_000;
      fake().injectFault({ kind: 'dropAfterCommit', operation: 'createCase' });
      const draft = baseDraft();
      await rejectsWith(backend.submit(draft), 'unavailable', new RegExp(`whether it was created is unknown\\. Submit the same draft again \\(draft id ${draft.id}\\): it finds this ticket by that id and goes on with it; it never files a second one\\.`));
      assert.equal(fake().requestsOf('createCase').length, 1);
      // The lag is over: the case shows in the lists now.
      for (const c of fake().cases.all) c.listedAt = Date.now();
      const resumed = await backend.submit(draft);
      assert.equal(resumed.id, fake().cases.all[0].incident_id);
      assert.equal(fake().requestsOf('createCase').length, 1);
    });

    it('a create whose connection broke before the service acted: the next submit waits out the lag, then files it once', async () => {
      const backend = open({ domainId: DOMAIN_ID }, undefined, { lagWaitMs: 300, timeoutMs: 1_000 });
      fake().injectFault({ kind: 'reset', operation: 'createCase' });
      const draft = baseDraft();
      await assert.rejects(backend.submit(draft));
      assert.equal(fake().cases.all.length, 0);
      const started = Date.now();
      const filed = await backend.submit(draft);
      assert.ok(Date.now() - started >= 500, 'it looked for the earlier create until its lag was over');
      assert.equal(filed.id, fake().cases.all[0].incident_id);
      assert.equal(fake().cases.all.length, 1);
    });

    it('a 2xx create answer of another shape is resolved through the marker', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      fake().injectFault({ kind: 'wrongShape', operation: 'createCase' });
      const ticket = await backend.submit(baseDraft());
      assert.equal(ticket.id, fake().cases.all[0].incident_id);
      fake().injectFault({ kind: 'malformed', operation: 'createCase' });
      await backend.submit(baseDraft());
      assert.equal(fake().cases.all.length, 2);
      assert.equal(fake().requestsOf('createCase').length, 2);
    });

    it('a throttled create (refused at the gateway) is sent again after the Retry-After; nothing doubles', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      fake().injectFault({ kind: 'throttle', operation: 'createCase', retryAfterMs: 100 });
      await backend.submit(baseDraft());
      assert.equal(fake().requestsOf('createCase').length, 2);
      assert.equal(fake().cases.all.length, 1);
    });

    it('reads are retried after a reset, a 5xx or throttling', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      fake().injectFault({ kind: 'reset', operation: 'listCases' });
      fake().injectFault({ kind: '5xx', operation: 'listCases' });
      await backend.list({}, { size: 5 });
      assert.equal(fake().requestsOf('listCases').length, 3);
    });

    it('throttling that persists: a throttled error with what to do', async () => {
      fake().injectFault({ kind: 'throttle', operation: 'listCases', times: 5 });
      await rejectsWith(open({ domainId: DOMAIN_ID }).list({}, { size: 5 }), 'throttled', /APIGW\.0308.*wait a minute.*X-Request-Id/);
    });

    it('a 5xx on a write is not retried and says it may have been carried out', async () => {
      const backend = open({ domainId: DOMAIN_ID });
      const ticket = await backend.submit(baseDraft());
      fake().injectFault({ kind: '5xx', operation: 'addMessage', status: 500 });
      await rejectsWith(backend.act(ticket.id, { action: 'comment', comment: 'hello' }), 'unavailable', /OSM\.0004.*look at the case before doing anything again/);
      assert.equal(fake().requestsOf('addMessage').length, 1);
    });

    it('a wrong endpoint path is a config error', async () => {
      await rejectsWith(open({ domainId: DOMAIN_ID, endpoint: `${fake().url}/nope` }).list({}, { size: 5 }), 'config', /does not serve the ticket service API v2/);
    });
  });
});
