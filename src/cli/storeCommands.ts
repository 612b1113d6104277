import { Command } from 'commander';
import { DbTicketsError } from '../core/errors';
import { localProfile } from '../backends/profiles';
import { type GlobalOptions, print, withBackend } from './session';

/** `db-tickets store …`: the Local backend's own ticket store. */
export function storeCommands(): Command[] {
  return [new Command('store').description("the ticket store of a Local profile").addCommand(check())];
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
