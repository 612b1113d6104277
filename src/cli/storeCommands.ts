import { Command } from 'commander';
import { DbTicketsError } from '../core/errors';
import { localProfile } from '../backends/profiles';
import { cliPasswords } from '../backends/local/db/cliPasswords';
import { loadConfig } from './config';
import { type GlobalOptions, print, withBackend } from './session';

/** `db-tickets store …`: the Local backend's own ticket store. */
export function storeCommands(): Command[] {
  return [new Command('store').description("the ticket store of a Local profile").addCommand(check()).addCommand(init())];
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
      const { config } = await loadConfig(options.config);
      const { teamStoreConnection, teamClientConfig, describeStore } = await import('../backends/local/teamStore/teamConnection');
      const { applySetup, setupSql, storedVersion } = await import('../backends/local/teamStore/teamSetup');
      const connection = teamStoreConnection(options.url ?? { connection: options.connection! }, config.connections);
      if (!connection) throw new DbTicketsError('usage', `${JSON.stringify(options.url)} is not a postgres:// URL.`);
      const { default: pg } = await import('pg');
      const client = new pg.Client(await teamClientConfig(connection, cliPasswords()));
      try {
        await client.connect();
      } catch (error) {
        throw new DbTicketsError('unavailable', `Could not connect to ${describeStore(connection)}: ${(error as Error).message}. Check the connection and the password, then run store init again.`, { cause: error });
      }
      try {
        const selfApproval = options.selfApproval === undefined ? undefined : options.selfApproval === 'on';
        if (options.print) {
          process.stdout.write(`${setupSql(await storedVersion(client), { selfApproval })}\n`);
          return;
        }
        const report = await applySetup(client, { selfApproval });
        const applied = report.applied.length === 0 ? 'It was up to date' : `Applied ${report.applied.map((m) => `${m.version} (${m.what})`).join(', ')}`;
        const roles = report.rolesCreated.length === 0 ? '' : ` Created the roles ${report.rolesCreated.join(', ')}.`;
        const human =
          `The ticket store in ${describeStore(connection)} is at schema version ${report.version}. ${applied}.${roles}\n` +
          `Self-approval is ${report.selfApproval ? 'on' : 'off'}. Grant each person the roles they need, e.g. GRANT db_tickets_submitter TO alice; GRANT db_tickets_approver, db_tickets_executor TO bob;\n`;
        print(options, report, human);
      } finally {
        await client.end().catch(() => undefined);
      }
    });
}
