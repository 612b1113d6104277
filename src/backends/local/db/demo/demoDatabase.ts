import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../core/errors';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { SqliteEngine } from '../sqlite/sqliteEngine';
import { createSqliteFile } from '../sqlite/sqliteFile';
import { demoData, demoSchema } from './demoSeed';

export interface DemoOptions {
  /**
   * Where the demo database lives (`demo.sqlite`), so approved changes survive restarts; created and seeded on
   * first use. Without it the database lives in a temporary folder, seeded afresh each time and removed on close.
   */
  dataDir?: string;
}

export const demoFileName = 'demo.sqlite';

/** What the PostgreSQL-in-WebAssembly demo of earlier versions left in the folder: a cluster's version file. */
const earlierDemoMarker = 'PG_VERSION';

interface Opened {
  engine: SqliteEngine;
  /** The temporary folder to remove on close, when no data folder was given. */
  temporary?: string;
}

/**
 * The zero-setup demo: the shop as a SQLite file, run by the SQLite engine (sql.js, or node:sqlite where the runtime
 * has it: no native module either way) with foreign keys enforced and exact row counts as estimates. The file is
 * created and seeded on first use, not when opened.
 */
export class DemoDatabase implements DatabaseEngine {
  readonly dialect = 'generic' as const;
  readonly transactionalDdl = true;
  private opened: Promise<Opened> | undefined;

  constructor(
    readonly name: string,
    private readonly options: DemoOptions = {},
  ) {}

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.run((engine) => engine.estimateRows(sql, options));
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.run((engine) => engine.validate(statements, options));
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.run((engine) => engine.execute(statements, options));
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.run((engine) => engine.exportQuery(sql, out, options));
  }

  async close(): Promise<void> {
    const opened = await this.opened?.catch(() => undefined);
    this.opened = undefined;
    await opened?.engine.close();
    if (opened?.temporary) await rm(opened.temporary, { recursive: true, force: true });
  }

  private async run<T>(work: (engine: SqliteEngine) => Promise<T>): Promise<T> {
    this.opened ??= openDemo(this.name, this.options.dataDir).catch((error: unknown) => {
      this.opened = undefined;
      throw error;
    });
    return work((await this.opened).engine);
  }
}

async function openDemo(name: string, dataDir: string | undefined): Promise<Opened> {
  const temporary = dataDir ? undefined : await mkdtemp(join(tmpdir(), 'db-tickets-demo-'));
  const folder = dataDir ?? temporary!;
  const file = join(folder, demoFileName);
  if (!(await exists(file))) {
    try {
      if (await exists(join(folder, earlierDemoMarker))) await removeEntries(folder);
      const today = new Date(new Date().toISOString().slice(0, 10));
      await createSqliteFile(file, demoSchema, demoData(today));
    } catch (error) {
      if (temporary) await rm(temporary, { recursive: true, force: true });
      throw new DbTicketsError('unavailable', `The demo database "${name}" could not be created in ${folder}: ${(error as Error).message}. Check that the folder is writable and the disk is not full, then try again.`, {
        cause: error,
      });
    }
  }
  return { engine: new SqliteEngine(name, file, { foreignKeys: true, countRows: true }), ...(temporary && { temporary }) };
}

/** The folder is the demo's own: the earlier engine's files go, as the new one cannot read them. */
async function removeEntries(folder: string): Promise<void> {
  for (const entry of await readdir(folder)) await rm(join(folder, entry), { recursive: true, force: true });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
