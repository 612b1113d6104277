import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bundled `db-tickets` as a user would, with `env` added to this process's environment (less its colour settings), from `env.HOME`. */
export function runCli(env: NodeJS.ProcessEnv, args: string[], stdin = ''): Promise<CliRun> {
  return startCli(env, args, stdin).done;
}

/** `runCli`, with the process at hand while it runs (e.g. to kill it). */
export function startCli(env: NodeJS.ProcessEnv, args: string[], stdin = ''): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [cli, ...args], { env: { ...uncoloured(process.env), ...env }, cwd: env.HOME });
  const done = new Promise<CliRun>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin!.end(stdin);
  return { child, done };
}

/** This process's environment without the variables that force colours on or off: a test that wants them sets them. */
function uncoloured(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = env;
  return rest;
}
