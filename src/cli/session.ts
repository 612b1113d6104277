import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../core/backend/backend';
import { DbTicketsError } from '../core/errors';
import type { BackendHost } from '../backends/backendModule';
import type { ConnectionConfig } from '../backends/local/db/connectionConfig';
import { openBackend } from '../backends/openBackend';
import { localProfile } from '../backends/profiles';
import { cliPasswords } from '../backends/local/db/cliPasswords';
import type { NetSettings } from '../net/dispatcher';
import { paintStatuses } from './statusColours';
import { colourOn, paint, terminalSafe } from './terminalText';
import { loadConfig } from './config';

export interface GlobalOptions {
  config?: string;
  profile?: string;
  json?: boolean;
}

/** The CLI's language for services that answer in one: from LC_ALL / LC_MESSAGES / LANG, e.g. zh_CN.UTF-8 → zh-cn. */
export function cliLanguage(env: NodeJS.ProcessEnv): string {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const match = /^([a-z]{2})(?:[_-]([a-z]{2}))?/i.exec(locale);
  return match ? [match[1], match[2]].filter(Boolean).join('-').toLowerCase() : 'en';
}

/** Where the CLI keeps the Local backend's store, and who the user is; problems in the store are warned about on stderr. */
export function cliHost(connections: readonly ConnectionConfig[], env: NodeJS.ProcessEnv = process.env, warnStore = true, net: NetSettings = {}): BackendHost {
  const dataDir = join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'db-tickets');
  return {
    storeDir: env.DB_TICKETS_STORE || dataDir,
    demoDir: join(dataDir, 'demo-database'),
    demoOn: 'caller',
    actor: env.DB_TICKETS_USER || userInfo().username,
    connections: () => connections,
    passwords: cliPasswords(env),
    // No secure storage: each backend reads the environment variables its module names for its secrets.
    secret: async () => undefined,
    env,
    // The config file's "http" section; HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) fill the rest.
    net,
    language: cliLanguage(env),
    log: env.DB_TICKETS_DEBUG ? (line) => process.stderr.write(`db-tickets: ${line}\n`) : undefined,
    warn: (message) => process.stderr.write(`db-tickets: ${warning()} ${message}\n`),
    onStoreProblem: warnStore ? (problem) => process.stderr.write(`db-tickets: ${warning()} ${problem.message}\n`) : undefined,
  };
}

function warning(): string {
  return paint(colourOn(process.stderr), 'yellow', 'warning:');
}

/**
 * Opens the chosen profile's backend for one command and always disposes of it. Ctrl+C aborts the operation
 * through the signal (a second Ctrl+C ends the process). `warnStore: false` leaves reporting the store's problems
 * to the command.
 */
export async function withBackend<T>(
  options: GlobalOptions,
  run: (backend: Backend, signal: AbortSignal) => Promise<T>,
  { warnStore = true }: { warnStore?: boolean } = {},
): Promise<T> {
  const { config, path, net } = await loadConfig(options.config);
  const name = options.profile ?? localProfile.name;
  const profile = config.profiles.find((p) => p.name === name);
  if (!profile) {
    const known = config.profiles.map((p) => p.name).join(', ');
    throw new DbTicketsError('config', `Profile "${name}" is not configured${path ? ` in ${path}` : ''}: use one of ${known}, or add it to the configuration file.`);
  }
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  const backend = await openBackend(profile, cliHost(config.connections, process.env, warnStore, net));
  try {
    return await run(backend, controller.signal);
  } finally {
    process.off('SIGINT', abort);
    await backend.dispose();
  }
}

/** The version of the --json shapes (docs/cli-json.md): raised only when a field changes meaning or goes away. */
export const jsonSchemaVersion = 1;

/** Prints JSON with --json (the object with its schemaVersion first), else the human text. */
export function print(options: GlobalOptions, json: object, human: string): void {
  process.stdout.write(options.json ? `${JSON.stringify({ schemaVersion: jsonSchemaVersion, ...json })}\n` : paintStatuses(terminalSafe(human), colourOn(process.stdout)));
}
