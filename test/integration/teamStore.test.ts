import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Backends } from '../../src/vscode/profiles/backends';
import { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { usePostgres } from '../support/postgresServer';
import { createTeamStore, type TeamStoreDatabase } from '../support/teamStoreHarness';
import { activateExtension, hostContext } from './stubs';

describe('a team store pushes changes to the Tickets view', function () {
  this.timeout(120_000);
  const server = usePostgres();
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-team-view-'));
  const passwordEnv = 'DB_TICKETS_TEAM_TEST_PASSWORD';
  let team: TeamStoreDatabase;
  let backends: Backends;
  let tickets: TicketsModel;

  before(async () => {
    await activateExtension();
    team = await createTeamStore(server());
    const bob = await team.person('bob', ['approver']);
    process.env[passwordEnv] = 'team-password';
    const settings = vscode.workspace.getConfiguration('dbTickets');
    await settings.update('connections', [{ ...bob, name: 'team-pg', passwordEnv }], vscode.ConfigurationTarget.Global);
    await settings.update('profiles', [{ name: 'team', backend: 'local', store: { connection: 'team-pg' } }], vscode.ConfigurationTarget.Global);
    backends = new Backends(hostContext(folder));
    tickets = new TicketsModel(backends);
  });
  after(async () => {
    tickets.dispose();
    backends.dispose();
    const settings = vscode.workspace.getConfiguration('dbTickets');
    await settings.update('profiles', undefined, vscode.ConfigurationTarget.Global);
    await settings.update('connections', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a ticket another person submits shows up without a refresh or a poll; the profile acts as the role it connects as', async () => {
    const loaded = await tickets.load();
    assert.equal(loaded.find((result) => result.status === 'rejected'), undefined);
    const profile = backends.profiles().find((configured) => configured.name === 'team')!;
    assert.deepEqual((await (await backends.get(profile)).check!()).facts.find((fact) => fact.label === 'You act as'), { label: 'You act as', value: 'bob' });

    // Ann submits as a client of her own (by hand, as a pipeline might): nothing in this window refreshes or polls,
    // so only the store's notification can make the model list again.
    const seen = new Promise<number>((resolve) => {
      const subscription = tickets.onDidLoad((profiles) => {
        if (profiles.some(({ tickets: listed }) => listed.some((ticket) => ticket.title === 'Pushed'))) {
          subscription.dispose();
          resolve(Date.now());
        }
      });
    });
    const client = await team.client(await team.person('ann', ['submitter']));
    const started = Date.now();
    try {
      await client.query(`INSERT INTO db_tickets.events (body) VALUES ('{"type":"submitted","ticket":"1","uid":"0a1b2c3d","draftId":"pushed-by-hand","title":"Pushed","kind":"DATA_EXPORT","database":"demo","reason":"team","stakeholders":[],"sql":"SELECT 1"}')`);
    } finally {
      await client.end();
    }
    const latency = (await seen) - started;
    console.log(`      (the view had the ticket ${latency} ms after it was recorded)`);
  });
});
