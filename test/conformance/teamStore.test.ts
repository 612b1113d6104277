import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openTeamStore } from '../../src/backends/local/teamStore/openTeamStore';
import { writeLock } from '../../src/backends/local/teamStore/teamSchema';
import { TeamTicketStore } from '../../src/backends/local/teamStore/teamTicketStore';
import { DbTicketsError } from '../../src/core/errors';
import { LocalBackend } from '../../src/backends/local/localBackend';
import { usePostgres } from '../support/postgresServer';
import { createTeamStore, type TeamStoreDatabase } from '../support/teamStoreHarness';
import { usePostgresShop } from '../support/workflowHarness';
import { baseDraft } from './conformance';

describe('Local backend on a team store in PostgreSQL', function () {
  this.timeout(60_000);
  const server = usePostgres();
  const shop = usePostgresShop('teamshop');
  let team: TeamStoreDatabase;
  const opened: LocalBackend[] = [];

  beforeEach(async () => {
    team = await createTeamStore(server());
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((backend) => backend.dispose()));
  });

  async function backendAs(name: string, roles: Array<'submitter' | 'approver' | 'executor'>, profile?: { name: string; actor?: string; resultLimitBytes?: number }): Promise<LocalBackend> {
    const store = await team.open(await team.person(name, roles), profile);
    const backend = new LocalBackend({
      storeFolder: mkdtempSync(join(tmpdir(), 'db-tickets-team-')),
      store,
      actor: store.actor,
      connections: () => [{ name: shop().name, driver: shop().driver }],
      openEngine: async () => shop().open(),
    });
    opened.push(backend);
    return backend;
  }

  it('records who connected, and lets an approver approve what a submitter submitted', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver', 'executor']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    assert.equal(ticket.status.state, 'pending_approval');
    // Each is offered what the database will let them record, and told what waits for them.
    assert.deepEqual([ticket.actions, ticket.needsYou], [['cancel', 'comment'], false]);
    const [seen] = (await bob.list({ scope: 'awaiting_me' }, { size: 10 })).items;
    assert.deepEqual([seen.id, seen.actions, seen.needsYou], [ticket.id, ['approve', 'reject', 'cancel', 'comment'], true]);
    const approved = await bob.act(ticket.id, { action: 'approve', comment: 'fine' });
    assert.equal(approved.status.state, 'approved');
    const executed = await bob.act(ticket.id, { action: 'execute' });
    assert.equal(executed.status.state, 'succeeded');
    const detail = await ann.get(ticket.id);
    assert.deepEqual(detail.history.map((h) => h.actor?.name ?? h.actor), ['ann', 'ann', 'bob', 'bob', 'bob']);
  });

  it('refuses an approval by a role that is not an approver, through the client and by hand-written SQL', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const carol = await backendAs('carol', ['submitter']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    await assert.rejects(carol.act(ticket.id, { action: 'approve' }), (error: unknown) => error instanceof DbTicketsError && error.kind === 'auth' && /db_tickets_approver/.test(error.message));
    const client = await team.client(await team.person('carol', ['submitter']));
    try {
      await assert.rejects(
        client.query(`INSERT INTO db_tickets.events (body) VALUES ('{"type":"approved","ticket":"${ticket.id}","at":"2026-01-01T00:00:00Z","by":"bob","self":false}')`),
        /may not approve/,
      );
      await assert.rejects(client.query('DELETE FROM db_tickets.events'), /permission denied/);
      await assert.rejects(client.query("UPDATE db_tickets.tickets SET state = 'approved'"), /permission denied/);
    } finally {
      await client.end();
    }
    assert.equal((await ann.get(ticket.id)).status.state, 'pending_approval');
  });

  it('a race of approve and reject has one winner, and the other is told what happened', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver']);
    const dave = await backendAs('dave', ['approver']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    const [approve, reject] = await Promise.allSettled([bob.act(ticket.id, { action: 'approve' }), dave.act(ticket.id, { action: 'reject', comment: 'no' })]);
    const won = [approve, reject].filter((outcome) => outcome.status === 'fulfilled');
    const lost = [approve, reject].filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    const error = lost[0].reason as DbTicketsError;
    assert.equal(error.kind, 'conflict');
    const winner = approve.status === 'fulfilled' ? 'approved' : 'rejected';
    assert.match(error.message, new RegExp(`#${ticket.id} cannot be (approved|rejected): it is ${winner}`));
    // The database holds the same line against a client that does not look first.
    const client = await team.client(await team.person('dave', ['approver']));
    try {
      await assert.rejects(
        client.query(`INSERT INTO db_tickets.events (body) VALUES ('{"type":"rejected","ticket":"${ticket.id}"}')`),
        new RegExp(`Ticket #${ticket.id} is ${winner} now \\(${winner} by (bob|dave) at .+ UTC\\), so it cannot be rejected`),
      );
    } finally {
      await client.end();
    }
    const history = (await ann.get(ticket.id)).history.filter((entry) => /approv|reject/i.test(entry.action));
    assert.equal(history.length, 1);
  });

  it('two clients submitting the same draft at once make one ticket', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const again = await backendAs('ann', ['submitter']);
    const draft = baseDraft({ database: shop().name });
    const [first, second] = await Promise.all([ann.submit(draft), again.submit(draft)]);
    assert.equal(first.id, second.id);
    assert.equal((await ann.list({ scope: 'all' }, { size: 100 })).items.length, 1);
  });

  it('stamps the role that connected and the server clock on every event, whatever the client writes', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    const client = await team.client(await team.person('bob', ['approver']));
    try {
      await client.query(`INSERT INTO db_tickets.events (body) VALUES ('{"type":"commented","ticket":"${ticket.id}","at":"1999-01-01T00:00:00Z","by":"ann","comment":"I am ann"}')`);
      const { rows } = await client.query("SELECT actor, body->>'by' AS by, at > now() - interval '1 minute' AS fresh FROM db_tickets.events WHERE type = 'commented'");
      assert.deepEqual(rows, [{ actor: 'bob', by: 'bob', fresh: true }]);
    } finally {
      await client.end();
    }
  });

  it('refuses self-approval unless the store allows it, and then marks it', async () => {
    const ann = await backendAs('ann', ['submitter', 'approver']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    await assert.rejects(ann.act(ticket.id, { action: 'approve' }), /may not approve it too/);
    await team.server.admin('UPDATE db_tickets.settings SET self_approval = true', team.database);
    const approved = await ann.act(ticket.id, { action: 'approve' });
    assert.equal(approved.status.state, 'approved');
  });

  it('ignores the profile\'s actor, and says so', async () => {
    const store = await team.open(await team.person('ann', ['submitter']), { name: 'team', actor: 'someone-else' });
    try {
      assert.equal(store.actor, 'ann');
      const check = await store.check();
      assert.ok(check.warnings.some((warning) => warning.includes('"someone-else" is ignored')));
      assert.ok(check.warnings.some((warning) => warning.includes('db_tickets_approver')));
    } finally {
      await store.tickets.close?.();
    }
  });

  it('a store nobody set up, opened by a role that may not set it up, names the command to run', async () => {
    const database = await team.server.createDatabase(`bare_${Date.now()}`);
    const connection = { ...(await team.person('ann', ['submitter'])), database };
    await assert.rejects(openTeamStore(connection, { name: 'team' }, { passwords: async () => 'team-password' }), (error: unknown) => error instanceof DbTicketsError && error.kind === 'config' && /db-tickets store init/.test(error.message));
  });

  it('pushes each change to the other clients, without polling, and listens again after its connection is lost', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver']);
    const heard: number[] = [];
    const watch = await bob.watchChanges!(() => heard.push(Date.now()));
    try {
      assert.equal(watch.live, true);
      const start = Date.now();
      const ticket = await ann.submit(baseDraft({ database: shop().name }));
      for (let waited = 0; heard.length === 0 && waited < 1000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(heard.length > 0, 'no notification within a second');
      assert.ok(heard[0] - start < 1000);
      assert.equal((await bob.get(ticket.id)).status.state, 'pending_approval');

      // The listening connection is cut (a server restart would do the same): it listens again, and hears on.
      await new Promise((resolve) => setTimeout(resolve, 300)); // the submit's two events, both heard
      const heardBeforeCut = heard.length;
      const [{ cut }] = await team.server.admin<{ cut: boolean }>(`SELECT bool_or(pg_terminate_backend(pid)) AS cut FROM pg_stat_activity WHERE usename = 'bob' AND query LIKE 'LISTEN%'`, team.database);
      assert.equal(cut, true);
      for (let waited = 0; heard.length === heardBeforeCut && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(heard.length > heardBeforeCut, 'told once listening again, as changes may have been missed');
      const before = heard.length;
      await ann.submit(baseDraft({ database: shop().name }));
      for (let waited = 0; heard.length === before && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(heard.length > before, 'no notification after the connection was cut');
    } finally {
      watch.dispose();
    }
  });

  it('an export executed on one computer is downloaded on another, whole and verified, from the database', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver', 'executor']);
    const ticket = await ann.submit(baseDraft({ database: shop().name, sql: 'SELECT id, name FROM customers ORDER BY id' }));
    await bob.act(ticket.id, { action: 'approve' });
    assert.equal((await bob.act(ticket.id, { action: 'execute' })).status.state, 'succeeded');
    const target = join(mkdtempSync(join(tmpdir(), 'db-tickets-team-download-')), 'customers.csv');
    const saved = await ann.download(ticket.id, { path: target });
    const text = readFileSync(target, 'utf8');
    assert.equal(saved.bytes, Buffer.byteLength(text));
    assert.match(text, /^id,name\r?\n1,Ada Lovelace\r?\n/);
    // A chunk changed in the database is caught by the recorded SHA-256, and nothing is saved.
    await team.server.admin(`UPDATE db_tickets.results SET data = overlay(data placing '\\x58'::bytea from 4) WHERE ticket = ${ticket.id}`, team.database);
    const again = join(dirname(target), 'again.csv');
    await assert.rejects(ann.download(ticket.id, { path: again }), /is damaged/);
    assert.equal(existsSync(again), false);
  });

  it('a result larger than the profile keeps in the database fails the execution, saying what to do', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver', 'executor'], { name: 'team', resultLimitBytes: 10 });
    const ticket = await ann.submit(baseDraft({ database: shop().name, sql: 'SELECT id, name FROM customers ORDER BY id' }));
    await bob.act(ticket.id, { action: 'approve' });
    const failed = await bob.act(ticket.id, { action: 'execute' });
    assert.equal(failed.status.state, 'failed');
    assert.match(failed.execution?.message ?? '', /more than the 10 this profile stores .*raise the profile's limit/);
  });

  it('tells a crashed execution on another computer by its heartbeat on the database clock, and only an executor records it', async () => {
    const ann = await backendAs('ann', ['submitter']);
    const bob = await backendAs('bob', ['approver', 'executor']);
    const ticket = await ann.submit(baseDraft({ database: shop().name }));
    await bob.act(ticket.id, { action: 'approve' });
    const client = await team.client(await team.person('bob', ['approver', 'executor']));
    try {
      await client.query(`INSERT INTO db_tickets.events (body) VALUES ('{"type":"execution_started","ticket":"${ticket.id}","host":"build-agent-7","pid":4242,"heartbeatMs":100}')`);
      await client.query(`INSERT INTO db_tickets.heartbeats (ticket, beat_at) VALUES (${ticket.id}, clock_timestamp())`);
      assert.equal((await bob.get(ticket.id)).status.state, 'executing', 'a fresh heartbeat is a running execution');
      await client.query(`UPDATE db_tickets.heartbeats SET beat_at = clock_timestamp() - interval '1 minute' WHERE ticket = ${ticket.id}`);
      assert.equal((await ann.get(ticket.id)).status.state, 'executing', 'a submitter does not record the end of an execution');
      const recovered = await bob.get(ticket.id);
      assert.equal(recovered.status.state, 'approved');
      assert.match(recovered.history.at(-1)?.comment ?? JSON.stringify(recovered.history.at(-1)), /build-agent-7.*has not renewed its heartbeat/);
    } finally {
      await client.end();
    }
  });

  it('a writer stopped inside its transaction loses its write, not the store: the others write on', async () => {
    const dave = team.config(await team.person('dave', ['submitter']));
    const ann = await backendAs('ann', ['submitter']);
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'support', 'teamWriterChild.ts'), JSON.stringify(dave), '1000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stdout: '', stderr: '' };
    child.stdout.on('data', (data: Buffer) => void (output.stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => void (output.stderr += data.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      for (let waited = 0; !output.stdout.includes('locked') && waited < 30_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(output.stdout.includes('locked'), `the writer took the lock: ${output.stderr}`);
      child.kill('SIGSTOP');
      // While it is stopped, holding the write lock, another member submits: the server ends the stopped one's
      // transaction once it has sat idle for a second, and the lock is free again.
      const ticket = await ann.submit(baseDraft({ database: shop().name }));
      assert.equal(ticket.status.state, 'pending_approval');
    } finally {
      child.kill('SIGCONT');
    }
    assert.equal(await exited, 1);
    assert.match(output.stderr, /ended this write: it stayed open with nothing happening for too long .*Nothing of it was recorded; try again/);
    const titles = (await ann.list({ scope: 'all' }, { size: 10 })).items.map((item) => item.title);
    assert.deepEqual(titles, [baseDraft({ database: shop().name }).title], 'the stopped writer recorded nothing');
  });

  it('a write that waits too long for the lock gives up as busy, recording nothing, and succeeds once it is free', async () => {
    const ann = await team.person('ann', ['submitter']);
    const holder = await team.client(ann);
    const store = await TeamTicketStore.open(team.config(ann), { location: 'the test store', lockWaitMs: 300 });
    const submit = () =>
      store.transact((tickets) => {
        const ticket = tickets.nextId();
        return { events: [{ type: 'submitted', ticket, at: new Date().toISOString(), by: 'ann', draftId: 'busy', title: 'Busy', kind: 'DATA_EXPORT', database: 'demo', reason: 'test', stakeholders: [], sql: 'SELECT 1' }], result: ticket };
      });
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
      const error = await submit().then(() => undefined, (caught: unknown) => caught);
      assert.ok(error instanceof DbTicketsError, String(error));
      assert.equal(error.kind, 'unavailable');
      assert.match(error.message, /is busy: another write has held its write lock too long .*Nothing was recorded; try again/);
      assert.equal([...(await store.read()).newestFirst()].length, 0);
      await holder.query('COMMIT');
      assert.equal(await submit(), '1');
    } finally {
      await holder.end();
      await store.close();
    }
  });
});
