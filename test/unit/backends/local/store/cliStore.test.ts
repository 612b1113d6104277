import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sealLine } from '../../../../../src/backends/local/store/lineChecksum';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';
import { crashSoak, soakLine } from '../../../../support/crashSoak';
import { runCli } from '../../../../support/runCli';

function sandbox(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'db-tickets-store-cli-'));
  return { HOME: home, XDG_DATA_HOME: join(home, 'data'), DB_TICKETS_USER: 'alice', DB_TICKETS_CONFIG: '', DB_TICKETS_STORE: join(home, 'store') };
}

const create = (title: string) => ['create', '--kind', 'export', '--db', 'demo', '--reason', 'soak', '--title', title];
const sql = 'SELECT 1 AS n;\n';

describe('db-tickets and a damaged or contended Local store', function () {
  this.timeout(120_000);
  let env: NodeJS.ProcessEnv;
  before(async () => {
    env = sandbox();
    const seeded = await runCli(env, create('first'), sql);
    assert.equal(seeded.code, 0, seeded.stderr);
  });
  after(() => rmSync(env.HOME!, { recursive: true, force: true }));

  it('store check exits 0 on a sound store and 1 listing file:line: what for each problem; other commands warn on stderr', async () => {
    const sound = await runCli(env, ['store', 'check']);
    assert.equal(sound.code, 0, sound.stderr);
    assert.equal(sound.stdout, 'The ticket store has no problems.\n');

    const home = sandbox();
    const seeded = await runCli(home, create('to damage'), sql);
    assert.equal(seeded.code, 0, seeded.stderr);
    const log = join(home.DB_TICKETS_STORE!, TicketStore.logName);
    writeFileSync(log, readFileSync(log, 'utf8').replace('"to damage"', '"to dAmage"'));
    appendFileSync(log, '{"type":"comm');

    const checked = await runCli(home, ['store', 'check']);
    assert.equal(checked.code, 1);
    assert.equal(checked.stderr, '');
    const lines = checked.stdout.trimEnd().split('\n');
    assert.match(lines[0], new RegExp(`^${log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: fails its checksum`));
    assert.match(lines.at(-2)!, /tickets\.jsonl:3: is incomplete \(13 bytes with no line end\)/);
    assert.equal(lines.at(-1), '3 problems found.');

    const json = await runCli(home, ['store', 'check', '--json']);
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout).problems.map((p: { line: number; kind: string }) => `${p.line} ${p.kind}`), ['1 damaged', '2 refused', '3 incomplete']);

    const listed = await runCli(home, ['list']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /^db-tickets: warning: \S+tickets\.jsonl:1: fails its checksum/m);
    assert.equal(listed.stderr.split('\n').filter((line) => line.startsWith('db-tickets: warning:')).length, 3);
    rmSync(home.HOME!, { recursive: true, force: true });
  });

  it('list starts from the snapshot the first list of a long log wrote, and store check replaces a damaged one', async () => {
    const home = sandbox();
    const store = home.DB_TICKETS_STORE!;
    mkdirSync(store, { recursive: true });
    const at = '2026-01-02T03:04:05.000Z';
    let log = '';
    for (let n = 1; n <= 100; n++) {
      const base = { ticket: String(n), uid: (0x10000000 + n).toString(16), at };
      log += `${sealLine(JSON.stringify({ type: 'submitted', ...base, by: 'bob', draftId: `d${n}`, title: `Export ${n}`, kind: 'DATA_EXPORT', database: 'demo', reason: 'r', stakeholders: [], sql: 'SELECT 1' }))}\n`;
      log += `${sealLine(JSON.stringify({ type: 'prechecked', ...base, by: 'bob', passed: true, items: [] }))}\n`;
      log += `${sealLine(JSON.stringify({ type: 'approved', ...base, by: 'alice', self: false }))}\n`;
    }
    writeFileSync(join(store, TicketStore.logName), log);
    const snapshot = join(store, TicketStore.snapshotName);

    const first = await runCli(home, ['list', '--json']);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(snapshot), 'the first list of 300 lines wrote a snapshot');
    const written = readFileSync(snapshot);
    const second = await runCli(home, ['list', '--json']);
    assert.equal(second.stdout, first.stdout);

    writeFileSync(snapshot, written.toString('utf8').replace('"state":"approved"', '"state":"rejected"'));
    const checked = await runCli(home, ['store', 'check']);
    assert.equal(checked.code, 0, checked.stdout);
    assert.deepEqual(readFileSync(snapshot), written, 'store check wrote it again from the log');
    const third = await runCli(home, ['list', '--json']);
    assert.equal(third.stdout, first.stdout);
    rmSync(home.HOME!, { recursive: true, force: true });
  });

  it('soak: writers killed (SIGKILL) and paused (SIGSTOP/SIGCONT) at random lose no acknowledged ticket and share no id', async () => {
    const figures = await crashSoak(env, 4, 15_000);
    process.stdout.write(`      ${soakLine(figures)}\n`);
    assert.equal(figures.lost, 0);
    assert.equal(figures.duplicates, 0);
    assert.ok(figures.acknowledged > 0);
    for (const problem of figures.problems) assert.match(problem, /is incomplete|is not valid JSON|fails its checksum/, 'only writes cut by a kill');
    assert.deepEqual(figures.badExits, []);
  });
});
