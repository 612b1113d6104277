import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets, startCli } from '../../support/runCli';
import { seedExport } from '../../support/storedExport';

function sandbox(): NodeJS.ProcessEnv {
  const env = cliSandbox();
  return { ...env, DB_TICKETS_STORE: join(env.HOME!, 'store') };
}

/** Waits until `found` returns something, checking every few milliseconds. */
async function until<T>(found: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = found();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('db-tickets download and execute when things go wrong (Local)', function () {
  this.timeout(180_000);
  const homes: string[] = [];
  const env = () => {
    const made = sandbox();
    homes.push(made.HOME!);
    return made;
  };
  after(() => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));

  it('(3) kill -9 in the middle of a download leaves the existing file at the target as it was', async () => {
    const e = env();
    const row = '123456789,"some text, quoted",2026-01-01T00:00:00Z\n';
    await seedExport(e.DB_TICKETS_STORE!, Buffer.from(row.repeat(Math.ceil(400_000_000 / row.length))));
    const target = join(e.HOME!, 'keep.csv');
    writeFileSync(target, 'keep me\n');
    const { child, done } = startCli(e, ['download', '1', '--out', target]);
    await until(() => readdirSync(e.HOME!).find((name) => name.endsWith('.part') && statSync(join(e.HOME!, name)).size > 0), 60_000, 'the download to start');
    child.kill('SIGKILL');
    const run = await done;
    assert.equal(run.code, null, `the download was still running: ${run.stdout}${run.stderr}`);
    assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
  });

  it('(3) a truncated stored result exits 1 and saves nothing', async () => {
    const e = env();
    const { file } = await seedExport(e.DB_TICKETS_STORE!, 'id\n1\n2\n3\n');
    writeFileSync(file, 'id\n1\n');
    const run = await dbTickets(e, ['download', '1', '--out', 'result.csv']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /The stored result of #1 \(results\/1\/result\.csv\) is damaged: the log records 9 bytes \(SHA-256 [0-9a-f]{12}…\), the file has 5 bytes\. Nothing was saved at /);
    assert.equal(existsSync(join(e.HOME!, 'result.csv')), false);
  });

  it('(3) --out at the stored result is refused and the result stays whole', async () => {
    const e = env();
    const { file } = await seedExport(e.DB_TICKETS_STORE!, 'id\n1\n2\n3\n');
    const run = await dbTickets(e, ['download', '1', '--out', file]);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /it is the stored file being downloaded, which must stay as it is\. Name another file to save it to\./);
    assert.equal(readFileSync(file, 'utf8'), 'id\n1\n2\n3\n');
  });

  it('(6) a log line pointing outside the store is refused, exit 1', async () => {
    const e = env();
    await seedExport(e.DB_TICKETS_STORE!, 'id\n1\n', { file: '../../../../etc/shadow' });
    const run = await dbTickets(e, ['download', '1', '--out', 'stolen']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /The log records the result of #1 at "\.\.\/\.\.\/\.\.\/\.\.\/etc\/shadow", which is outside the store folder/);
    assert.doesNotMatch(run.stdout, /Saved/);
    assert.equal(existsSync(join(e.HOME!, 'stolen')), false);
  });

  it('(7) kill -9 during an export on the demo database: the next reader finds it approved again, with no leftovers', async () => {
    const e = env();
    const sql = "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 3000000) SELECT n, printf('%.200c', 'x') AS filler FROM g;\n";
    const created = await dbTickets(e, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--title', 'A long export', '--reason', 'crash test'], sql);
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    assert.equal((await dbTickets(e, ['approve', id])).code, 0);
    const partial = join(e.DB_TICKETS_STORE!, 'results', id, 'result.csv.partial');
    const { child, done } = startCli(e, ['execute', id]);
    await until(() => (existsSync(partial) && statSync(partial).size > 0 ? true : undefined), 120_000, 'the export to write');
    child.kill('SIGKILL');
    assert.equal((await done).code, null);

    const shown = await dbTickets(e, ['show', id, '--json']);
    assert.equal(shown.code, 0, shown.stderr);
    const detail = JSON.parse(shown.stdout);
    assert.equal(detail.status.state, 'approved');
    assert.equal(detail.history.at(-1).action, 'execution interrupted');
    assert.equal(existsSync(join(e.DB_TICKETS_STORE!, 'results', id)), false, 'the partial result is gone');
    assert.deepEqual(readdirSync(join(e.DB_TICKETS_STORE!, 'executions')), [], 'the heartbeat is gone');
  });
});
