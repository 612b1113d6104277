import type { ConnectionConfig } from './connectionConfig';
import type { DatabaseEngine } from './engine';
import { type PasswordSource, requirePassword } from './passwordSource';

export interface OpenEngineOptions {
  /** Where the demo database keeps its file so changes survive restarts; a temporary folder when absent. */
  demoDir?: string;
  /** Where the demo database runs (see BackendHost.demoOn); a worker thread by default. */
  demoOn?: 'worker' | 'caller';
  /** Connect once before returning, so a wrong password or database shows up now rather than at first use. */
  check?: boolean;
}

/**
 * Opens the engine for a connection. Server engines connect per operation; the password is asked for here
 * (a missing one is a 'config' error naming the ways to provide it) and never appears in messages. Each driver
 * is loaded on first use, so opening one does not load the others.
 */
export async function openEngine(config: ConnectionConfig, passwords: PasswordSource, options: OpenEngineOptions = {}): Promise<DatabaseEngine> {
  switch (config.driver) {
    case 'demo': {
      if (options.demoOn === 'caller') return new (await import('./demo/demoDatabase')).DemoDatabase(config.name, { dataDir: options.demoDir });
      const { DemoEngine } = await import('./demo/demoEngine');
      return new DemoEngine(config.name, { dataDir: options.demoDir });
    }
    case 'sqlite': {
      const { SqliteEngine } = await import('./sqlite/sqliteEngine');
      return new SqliteEngine(config.name, config.file);
    }
    case 'postgres':
    case 'mysql': {
      const password = await requirePassword(config, passwords);
      const engine =
        config.driver === 'postgres'
          ? new (await import('./postgres/postgresEngine')).PostgresEngine(config, password)
          : new (await import('./mysql/mysqlEngine')).MysqlEngine(config, password);
      if (options.check) await engine.check();
      return engine;
    }
  }
}
