import { CommanderError } from 'commander';
import { isUsageError } from '../core/errors';
import { buildProgram } from './program';
import { colourOn, paint, terminalSafe } from './terminalText';

/** Exit codes: 0 ok, 1 the operation failed, 2 usage or configuration error. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`${paint(colourOn(process.stderr), 'red', 'db-tickets:')} ${terminalSafe(error instanceof Error ? error.message : String(error))}\n`);
    return isUsageError(error) ? 2 : 1;
  }
}

/**
 * Output that cannot be written ends the run without a stack trace: a reader that went away (EPIPE, e.g. `| head`)
 * quietly, anything else (a full disk) with one line saying so.
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') process.stderr.write(`db-tickets: the output could not be written (${error.code ?? error.message}${error.code === 'ENOSPC' ? ': no space left on the device' : ''}): write it somewhere else.\n`);
  process.exit(error.code === 'EPIPE' ? (typeof process.exitCode === 'number' ? process.exitCode : 0) : 1);
});
process.stderr.on('error', () => undefined);

// Set the exit code rather than calling process.exit, which can cut off output still flowing into a pipe.
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
