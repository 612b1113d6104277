import { Command } from 'commander';
import { version } from '../../package.json';
import { analyzeCommand } from './analyze';
import { draftCommands } from './draftCommands';
import { mcpCommand } from './mcpCommand';
import { storeCommands } from './storeCommands';
import { ticketCommands } from './ticketCommands';

/** The `db-tickets` command line: global options here, one subcommand per operation. */
export function buildProgram(): Command {
  const program = new Command('db-tickets')
    .description('Package SQL into database change tickets (data export, schema change) and track them.')
    .version(version, '-V, --version', 'print the version')
    .option('--config <file>', 'configuration file (default: $DB_TICKETS_CONFIG, else ~/.config/db-tickets/config.json)')
    .option('--profile <name>', 'backend profile to use (default: the built-in local profile)')
    .option('--json', 'print machine-readable JSON')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run db-tickets --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  // No root action: a missing or unknown command is a usage error (exit 2) that names the commands.
  for (const command of [analyzeCommand(), ...draftCommands(), ...ticketCommands(), ...storeCommands(), mcpCommand()]) program.addCommand(command.copyInheritedSettings(program));
  return program;
}
