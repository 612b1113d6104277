import { Command } from 'commander';
import type pg from 'pg';
import { DbTicketsError } from '../core/errors';
import { localProfile } from '../backends/profiles';
import { cliPasswords } from '../backends/local/db/cliPasswords';
import { loadConfig } from './config';
import { type GlobalOptions, print, withBackend } from './session';

/** `db-tickets store …`: the Local backend's own ticket store. */
export function storeCommands(): Command[] {
  return [new Command('store').description("the ticket store of a Local profile").addCommand(check()).addCommand(init()).addCommand(migrate())];
}

function check(): Command {
  return new Command('check')
    .description('read the whole ticket log and list every line that cannot be trusted (file:line: what); exit 1 if any')
    .option('--json', 'print machine-readable JSON')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withBackend(
        options,
        async (backend, signal) => {
          if (!backend.storageProblems) {
            throw new DbTicketsError('usage', `Profile "${options.profile ?? localProfile.name}" keeps its tickets on a service, not in a store of its own: there is nothing to check.`);
          }
          const problems = await backend.storageProblems({ signal }, { wholeLog: true });
          const human = problems.length === 0 ? 'The ticket store has no problems.\n' : `${problems.map((problem) => problem.message).join('\n')}\n${count(problems.length)} found.\n`;
          print(options, { problems }, human);
          if (problems.length > 0) process.exitCode = 1;
        },
        { warnStore: false },
      );
    });
}

function count(n: number): string {
  return n === 1 ? '1 problem' : `${n} problems`;
}

interface InitOptions extends GlobalOptions {
  connection?: string;
  url?: string;
  print?: boolean;
  selfApproval?: 'on' | 'off';
}

function init(): Command {
  return new Command('init')
    .description('set up (or bring up to date) a team ticket store in PostgreSQL: its schema and the roles db_tickets_submitter, db_tickets_approver and db_tickets_executor; run once by the database owner, safe to run again')
    .option('--connection <name>', 'the PostgreSQL connection of the configuration that holds the store')
    .option('--url <postgres-url>', 'or the database as postgres://user@host:5432/database (password from PGPASSWORD or ~/.pgpass)')
    .option('--print', 'print the SQL it would run instead of running it')
    .option('--self-approval <on|off>', 'whether an approver may approve a ticket they submitted (off in a new store)')
    .option('--json', 'print machine-readable JSON')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<InitOptions>();
      if (options.selfApproval !== undefined && options.selfApproval !== 'on' && options.selfApproval !== 'off') {
        throw new DbTicketsError('usage', `--self-approval takes on or off, not ${JSON.stringify(options.selfApproval)}.`);
      }
      if (!options.connection === !options.url) throw new DbTicketsError('usage', 'Name the store\'s database with --connection <name> or --url postgres://…, one of the two.');
      if (options.url && !/^postgres(ql)?:\/\//i.test(options.url)) throw new DbTicketsError('usage', `${JSON.stringify(options.url)} is not a postgres:// URL.`);
      const { applySetup, setupSql, storedVersion } = await import('../backends/local/teamStore/teamSetup');
      await withStoreClient(options, options.url ?? { connection: options.connection! }, 'store init', async (client, location) => {
        const selfApproval = options.selfApproval === undefined ? undefined : options.selfApproval === 'on';
        if (options.print) {
          process.stdout.write(`${setupSql(await storedVersion(client), { selfApproval })}\n`);
          return;
        }
        const report = await applySetup(client, { selfApproval });
        const applied = report.applied.length === 0 ? 'It was up to date' : `Applied ${report.applied.map((m) => `${m.version} (${m.what})`).join(', ')}`;
        const roles = report.rolesCreated.length === 0 ? '' : ` Created the roles ${report.rolesCreated.join(', ')}.`;
        const human =
          `${location[0].toUpperCase()}${location.slice(1)} is at schema version ${report.version}. ${applied}.${roles}\n` +
          `Self-approval is ${report.selfApproval ? 'on' : 'off'}. Grant each person the roles they need, e.g. GRANT db_tickets_submitter TO alice; GRANT db_tickets_approver, db_tickets_executor TO bob;\n`;
        print(options, report, human);
      });
    });
}

interface MigrateOptions extends GlobalOptions {
  from: string;
  to: string;
}

function migrate(): Command {
  return new Command('migrate')
    .description("copy a folder store's tickets (events and export results) into a team store, keeping ids, authors and times, and verify the copy; safe to run again (nothing is copied twice); run as the team store's owner")
    .requiredOption('--from <folder>', 'the folder of the ticket log (tickets.jsonl)')
    .requiredOption('--to <connection>', 'the PostgreSQL connection of the configuration that holds the team store, or a postgres:// URL')
    .option('--json', 'print machine-readable JSON')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<MigrateOptions>();
      const { storedVersion } = await import('../backends/local/teamStore/teamSetup');
      const { schemaVersion } = await import('../backends/local/teamStore/teamSchema');
      const { migrateFolder } = await import('../backends/local/teamStore/migrateFolder');
      await withStoreClient(options, options.to, 'store migrate', async (client, location) => {
        if ((await storedVersion(client)) !== schemaVersion) {
          throw new DbTicketsError('config', `${location} is not set up at this DB Tickets' schema version: run "db-tickets store init --connection <name>" first, as its owner.`);
        }
        const report = await migrateFolder(options.from, client, location);
        const lines = [
          `From ${report.from} to ${report.to}:`,
          `  tickets: ${report.tickets.found} found, ${report.tickets.copied} copied, ${report.tickets.already} already there, ${report.tickets.refused.length} not copied`,
          `  events: ${report.events.found} found, ${report.events.copied} copied, ${report.events.already} already there`,
          `  export results: ${report.results.copied} copied, ${report.results.already} already there, ${report.results.missing.length} missing`,
          ...report.tickets.refused.map(({ id, why }) => `  not copied: #${id}: ${why}`),
          ...report.results.missing.map(({ id, why }) => `  result of #${id} not copied: ${why}`),
          ...report.problems.map((problem) => `  not trusted, not copied: ${problem.message}`),
          report.mismatches.length === 0 ? '  verified: every copied ticket has the same state and history in the database.' : report.mismatches.map((line) => `  MISMATCH: ${line}`).join('\n'),
        ];
        print(options, report, `${lines.join('\n')}\n`);
        if (report.tickets.refused.length + report.results.missing.length + report.problems.length + report.mismatches.length > 0) process.exitCode = 1;
      });
    });
}

/**
 * Runs `work` on a client logged in to the team store `store` names — a postgres:// URL, a connection of the
 * configuration by name, or `{ connection }` — and always logs out.
 */
async function withStoreClient(options: GlobalOptions, store: string | { connection: string }, command: string, work: (client: pg.Client, location: string) => Promise<void>): Promise<void> {
  const { config } = await loadConfig(options.config);
  const { teamStoreConnection, teamClientConfig, describeStore } = await import('../backends/local/teamStore/teamConnection');
  const connection = teamStoreConnection(store, config.connections) ?? teamStoreConnection({ connection: store as string }, config.connections)!;
  const location = describeStore(connection);
  const { default: pgModule } = await import('pg');
  const client = new pgModule.Client(await teamClientConfig(connection, cliPasswords()));
  try {
    await client.connect();
  } catch (error) {
    throw new DbTicketsError('unavailable', `Could not connect to ${location}: ${(error as Error).message}. Check the connection and the password, then run ${command} again.`, { cause: error });
  }
  try {
    await work(client, location);
  } finally {
    await client.end().catch(() => undefined);
  }
}
