import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An environment for `db-tickets` with a home, config and store of its own (the built-in local profile unless `config`). */
export function cliSandbox(config?: object): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'db-tickets-cli-'));
  const env: NodeJS.ProcessEnv = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local', 'share'), DB_TICKETS_USER: 'alice', DB_TICKETS_CONFIG: '', DB_TICKETS_STORE: '' };
  if (config) {
    env.DB_TICKETS_CONFIG = join(home, 'config.json');
    writeFileSync(env.DB_TICKETS_CONFIG, JSON.stringify(config));
  }
  return env;
}
