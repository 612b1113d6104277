import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';
import { type CliRun, runCli, startCli } from '../../../../support/runCli';

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
    const writers = 4;
    const soakMs = 15_000;
    const deadline = Date.now() + soakMs;
    const running = new Map<ChildProcess, string>();
    const paused = new Set<ChildProcess>();
    const runs: Array<{ title: string; run: CliRun }> = [];
    const figures = { acknowledged: 0, killed: 0, paused: 0, pausedPastStale: 0, lostLock: 0 };
    let n = 0;

    const worker = async (w: number) => {
      while (Date.now() < deadline) {
        const title = `soak-${w}-${++n}`;
        const { child, done } = startCli(env, create(title), sql);
        running.set(child, title);
        const run = await done;
        running.delete(child);
        runs.push({ title, run });
      }
    };
    const chaos = async () => {
      while (Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 350));
        const live = [...running.keys()].filter((child) => !paused.has(child));
        if (live.length === 0) continue;
        const victim = live[Math.floor(Math.random() * live.length)];
        const roll = Math.random();
        if (roll < 0.35) {
          victim.kill('SIGKILL');
          figures.killed++;
        } else if (roll < 0.5) {
          victim.kill('SIGSTOP');
          paused.add(victim);
          figures.paused++;
          // Now and then longer than the 10 s stale time, so that its lock is taken over.
          const pauseMs = Math.random() < 0.3 ? 10_500 + Math.random() * 1500 : 300 + Math.random() * 3000;
          const since = Date.now();
          setTimeout(() => {
            if (Date.now() - since > 10_000) figures.pausedPastStale++;
            victim.kill('SIGCONT');
            paused.delete(victim);
          }, Math.min(pauseMs, deadline - Date.now()));
        }
      }
    };
    await Promise.all([...Array.from({ length: writers }, (_, w) => worker(w)), chaos()]);

    const store = new TicketStore(env.DB_TICKETS_STORE!);
    const tickets = await store.read();
    const all = tickets.newestFirst();
    const acknowledged = runs.flatMap(({ title, run }) => {
      const match = /^Submitted #(\S+) (\S+) — /m.exec(run.stdout);
      return match ? [{ id: match[1], title, shown: match[2] }] : [];
    });
    figures.acknowledged = acknowledged.length;
    figures.lostLock = runs.filter(({ run }) => /lost the lock/.test(run.stderr)).length;
    const lost = acknowledged.filter(({ id, title }) => tickets.get(id)?.title !== title || all.filter((ticket) => ticket.title === title).length !== 1);
    const numbers = all.map((ticket) => ticket.number);
    const duplicates = numbers.length - new Set(numbers).size;
    process.stdout.write(
      `      soak: ${writers} writers, ${soakMs / 1000} s: ${runs.length} creates, acknowledged ${figures.acknowledged}, killed ${figures.killed}, ` +
        `paused ${figures.paused} (${figures.pausedPastStale} past the stale time; ${figures.lostLock} failed with a lost lock), ` +
        `lost ${lost.length}, duplicates ${duplicates}, store problems ${store.problems.length}\n`,
    );
    assert.deepEqual(lost, []);
    assert.equal(duplicates, 0);
    assert.ok(figures.acknowledged > 0);
    for (const problem of store.problems) assert.match(problem.message, /is incomplete|is not valid JSON|fails its checksum/, 'only writes cut by a kill');
    for (const { run } of runs) assert.ok(run.code === 0 || run.code === 1 || run.code === null, run.stderr);
  });
});
