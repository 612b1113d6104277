import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
