import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsOf, requireOperation } from '../../../../src/core/backend/optionalOperations';
import { runCli as dbTickets } from '../../../support/runCli';
import { rejectsWith } from '../../../support/rejectsWith';
import { useHuaweiBackends } from './backendOnFake';
import { huaweiCliEnvironment } from './cliEnvironment';
import type { FakeOsm } from '../../../fakes/huawei/fakeOsm';
import { DOMAIN_ID, IAM_USER, startFakeOsm, useFakeOsm } from '../../../fakes/huawei/harness';
import { baseDraft } from '../../../conformance/conformance';

/** Longer than a case description takes, so the backend attaches it as a .txt file. */
const longSql = `UPDATE orders SET note = 'checked' WHERE id IN (${Array.from({ length: 400 }, (_, i) => i + 1).join(', ')});\n`;

/** Attaches one more file to a case's first message, as the service would after an upload. */
function attach(fake: FakeOsm, caseId: string, name: string, data: string, bound = true): string {
  const answer = fake.attachments.uploadJson({ accessory_name: name, accessory_from: 'message', accessory_data: Buffer.from(data).toString('base64') }, DOMAIN_ID, Date.now());
  const id = (answer.json as { accessory_id: string }).accessory_id;
  fake.caseById(caseId)!.messages[0].accessory_ids.push(id);
  if (bound) fake.attachments.items.get(id)!.boundTo = caseId;
  return id;
}

describe('Huawei Cloud attachments (fake OSM)', function () {
  this.timeout(20_000);
  const fake = useFakeOsm();
  const open = useHuaweiBackends(fake);
  const folder = () => mkdtempSync(join(tmpdir(), 'db-tickets-hw-attachments-'));

  it('is an optional operation of the Huawei Cloud backend', () => {
    const backend = open();
    assert.deepEqual(operationsOf(backend), ['rate', 'relations', 'attachments']);
    assert.equal(typeof requireOperation(backend, 'attachments', 'hw').download, 'function');
  });

  it("lists a case's attachments with their ids and streams one to disk", async () => {
    const backend = open();
    const ticket = await backend.submit(baseDraft({ kind: 'DATA_CHANGE', title: 'Long SQL', sql: longSql }));
    const extra = attach(fake(), ticket.id, 'plan.txt', 'step 1\nstep 2\n');
    const files = await backend.attachments.list(ticket.id);
    assert.equal(files.length, 2, JSON.stringify(files));
    assert.match(files[0].name, /^db-tickets-.*-sql\.txt$/);
    assert.deepEqual(files[1], { name: 'plan.txt', id: extra });
    assert.deepEqual((await backend.get(ticket.id)).attachments, files);

    const dir = folder();
    const progress: Array<number | undefined> = [];
    const sql = await backend.attachments.download(ticket.id, files[0].id!, { path: join(dir, 'sql.txt') }, { onProgress: (p) => progress.push(p.done) });
    assert.deepEqual(sql, { path: join(dir, 'sql.txt'), bytes: Buffer.byteLength(longSql) });
    assert.equal(readFileSync(join(dir, 'sql.txt'), 'utf8'), longSql);
    assert.equal(progress.at(-1), Buffer.byteLength(longSql));
    const plan = await backend.attachments.download(`#${ticket.id}`, extra, { path: join(dir, 'plan.txt') });
    assert.equal(plan.bytes, 14);
    assert.equal(readFileSync(join(dir, 'plan.txt'), 'utf8'), 'step 1\nstep 2\n');
    assert.deepEqual(readdirSync(dir).sort(), ['plan.txt', 'sql.txt']);
    assert.equal(fake().requestsOf('downloadAttachment').length, 3, 'get read the SQL once, then the two downloads');
  });

  it('downloads with an IAM token too', async () => {
    const backend = open({ auth: 'token', domainName: IAM_USER.domainName, userName: IAM_USER.userName }, { HUAWEICLOUD_SDK_PASSWORD: IAM_USER.password });
    const ticket = await backend.submit(baseDraft({ kind: 'DATA_CHANGE', title: 'Token', sql: longSql }));
    const [file] = await backend.attachments.list(ticket.id);
    const path = join(folder(), 'sql.txt');
    assert.equal((await backend.attachments.download(ticket.id, file.id!, { path })).bytes, Buffer.byteLength(longSql));
    assert.equal(readFileSync(path, 'utf8'), longSql);
  });

  it("refuses an id the case does not have, and leaves no file when the service refuses the download", async () => {
    const backend = open();
    const ticket = await backend.submit(baseDraft({ kind: 'DATA_CHANGE', title: 'Refused', sql: longSql }));
    const [file] = await backend.attachments.list(ticket.id);
    const dir = folder();
    await rejectsWith(backend.attachments.download(ticket.id, 'nope', { path: join(dir, 'x.txt') }), 'usage', new RegExp(`Case ${ticket.id} has no attachment nope: its attachments are db-tickets-.*-sql\\.txt \\(${file.id}\\)`));
    fake().attachments.items.delete(file.id!);
    await rejectsWith(
      backend.attachments.download(ticket.id, file.id!, { path: join(dir, 'x.txt') }),
      'conflict',
      new RegExp(`Huawei Cloud refused the attachment ${file.id} of case ${ticket.id} \\(OSM\\.01010001: Param validation failed: accessory ${file.id} does not exist\\): it may have been removed; list the case's attachments again\\. No file was saved at .*x\\.txt\\.`),
    );
    assert.deepEqual(readdirSync(dir), []);
  });

  it('deletes an attachment only where the service allows it, and says why not otherwise', async () => {
    const backend = open();
    const ticket = await backend.submit(baseDraft({ kind: 'DATA_CHANGE', title: 'Delete', sql: longSql }));
    const [bound] = await backend.attachments.list(ticket.id);
    await rejectsWith(
      backend.attachments.remove(ticket.id, bound.id!),
      'conflict',
      /Huawei Cloud keeps the attachment db-tickets-.*-sql\.txt of case .* \(OSM\.01010017: Operation fail: the attachment is bound to a case or message\): the service deletes only files not yet part of a case or message\./,
    );
    assert.ok(fake().attachments.items.has(bound.id!));
    const loose = attach(fake(), ticket.id, 'draft.txt', 'x', false);
    await backend.attachments.remove(ticket.id, loose);
    assert.equal(fake().attachments.items.has(loose), false);
    assert.equal(fake().requestsOf('deleteAttachment').length, 2);
  });
});

describe('db-tickets attachments (fake OSM)', function () {
  this.timeout(60_000);
  let fake: FakeOsm;
  let env: NodeJS.ProcessEnv;
  let home: string;
  const hw = (...args: string[]) => dbTickets(env, ['--profile', 'hw', ...args]);

  beforeEach(async () => {
    fake = await startFakeOsm();
    env = huaweiCliEnvironment(fake);
    home = env.HOME!;
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.errors, []);
  });

  async function create(): Promise<string> {
    const run = await dbTickets(env, ['--profile', 'hw', 'create', '--kind', 'change', '--db', 'shop', '--title', 'With attachments', '--reason', 'cli attachments', '--json'], longSql);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).id;
  }

  it('lists, saves (never over an existing file) and refuses to delete a bound attachment', async () => {
    const id = await create();
    const planId = attach(fake, id, '../plan.txt', 'the plan\n');
    const listed = await hw('attachments', id);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trim().split('\n');
    assert.equal(lines.length, 2, listed.stdout);
    assert.match(lines[0], /^db-tickets-.*-sql\.txt {2}- {2}[0-9a-f]{32}$/);
    assert.equal(lines[1], `../plan.txt  -  ${planId}`);
    const json = JSON.parse((await hw('attachments', id, '--json')).stdout).items;
    assert.deepEqual(json[1], { name: '../plan.txt', id: planId });

    const saved = await hw('attachments', id, '--download', '../plan.txt');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(saved.stdout, `Saved 9 bytes to ${join(home, 'plan.txt')}\n`, 'the service\'s name, without its folders, in the current folder');
    assert.equal(readFileSync(join(home, 'plan.txt'), 'utf8'), 'the plan\n');

    writeFileSync(join(home, 'plan.txt'), 'mine');
    const again = await hw('attachments', id, '--download', planId);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, new RegExp(`${join(home, 'plan.txt').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} exists already: nothing was saved`));
    assert.equal(readFileSync(join(home, 'plan.txt'), 'utf8'), 'mine');
    const explicit = await hw('attachments', id, '--download', planId, '--out', join(home, 'mine.txt'));
    assert.equal(explicit.code, 0, explicit.stderr);
    assert.equal(readFileSync(join(home, 'mine.txt'), 'utf8'), 'the plan\n');
    const sqlName = JSON.parse((await hw('attachments', id, '--json')).stdout).items[0].name;
    const sql = await hw('attachments', id, '--download', sqlName, '--out', 'sql.txt', '--json');
    assert.equal(sql.code, 0, sql.stderr);
    assert.deepEqual(JSON.parse(sql.stdout), { schemaVersion: 1, path: join(home, 'sql.txt'), bytes: Buffer.byteLength(longSql) });
    assert.equal(readFileSync(join(home, 'sql.txt'), 'utf8'), longSql);

    const kept = await hw('attachments', id, '--delete', planId);
    assert.equal(kept.code, 1, kept.stderr);
    assert.match(kept.stderr, /Huawei Cloud keeps the attachment \.\.\/plan\.txt of case .*: the service deletes only files not yet part of a case or message\./);
    assert.ok(fake.attachments.items.has(planId));
  });

  it('deletes an attachment the service lets go', async () => {
    const id = await create();
    const loose = attach(fake, id, 'draft.txt', 'x', false);
    const deleted = await hw('attachments', id, '--delete', 'draft.txt', '--json');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(fake.attachments.items.has(loose), false);
    assert.equal(JSON.parse(deleted.stdout).items.length, 2, 'the case still names the id; the service no longer has its file');
  });

  it('says which attachments there are when the name matches none, and checks the options (exit 2)', async () => {
    const id = await create();
    const unknown = await hw('attachments', id, '--download', 'nothing.txt');
    assert.equal(unknown.code, 2, unknown.stderr);
    assert.match(unknown.stderr, /has no attachment named or with the id "nothing\.txt": its attachments are db-tickets-.*-sql\.txt \([0-9a-f]{32}\)/);
    assert.equal(existsSync(join(home, 'nothing.txt')), false);
    const both = await hw('attachments', id, '--download', 'a', '--delete', 'b');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /either --download or --delete/);
    const out = await hw('attachments', id, '--out', 'x');
    assert.equal(out.code, 2);
    assert.match(out.stderr, /--out goes with --download/);
  });

  it('on a service without attachments, says so with exit 2', async () => {
    const run = await dbTickets(env, ['attachments', '1']);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /The service of profile "local" cannot save or delete a ticket's attachments\./);
  });
});
