import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { csvLine } from '../export/csvFormat';
import { ExportOutput } from '../export/exportOutput';
import { describeQuery, exportQuery, jsonRowsQuery } from '../postgres/pgExportSql';
import { pgError, pgErrorText, type PgErrorContext } from '../postgres/pgErrors';
import { explainRows, executeAtomically, type ScriptContext, validateInRollback } from '../postgres/pgScript';
import type { PgField, PgSession } from '../postgres/pgSession';
import { demoData, demoSchema } from './demoSeed';

export interface DemoOptions {
  /**
   * Where the demo database lives, so approved changes survive restarts; created and seeded on first use.
   * Without it the database is in memory and seeded afresh each time it starts.
   */
  dataDir?: string;
}

const fetchRows = 1000;
const target = 'the embedded demo database';

/**
 * The zero-setup demo: PostgreSQL itself compiled to WebAssembly (PGlite), no native module. It runs on the thread
 * that creates it and blocks that thread while a statement runs, so the extension and the CLI use it through
 * `DemoEngine`, which keeps it on a worker thread. It starts on first use, not when opened, as starting takes a
 * few seconds. A statement timeout or a cancellation takes effect between statements (and between batches of
 * exported rows), not inside one.
 */
export class DemoDatabase implements DatabaseEngine {
  readonly dialect = 'postgres' as const;
  readonly transactionalDdl = true;
  private database: Promise<PGlite> | undefined;
  /** One connection: operations take turns, so one's transaction never sees another's statements. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly options: DemoOptions = {},
  ) {}

  /** Starts (and on first use seeds) the database now rather than on the first operation. */
  private start(): Promise<PGlite> {
    this.database ??= startDemo(this.options.dataDir).catch((error: unknown) => {
      this.database = undefined;
      throw error;
    });
    return this.database;
  }

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.run('Estimating rows', options, (db) => explainRows(session(db), sql));
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.run('Checking the statements', options, (db) => validateInRollback(session(db, options.signal), statements, this.scriptContext(options)));
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.run('Running the change', options, (db) => executeAtomically(session(db, options.signal), statements, this.scriptContext(options)));
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.run('The export', options, async (db) => {
      const { fields } = await db.query(describeQuery(sql));
      const columns = fields.map((field) => field.name);
      const select = exportQuery(sql, fields);
      const output = new ExportOutput(out, this.name, options.onProgress, options.signal);
      // Every value as PostgreSQL's own text, exactly as COPY writes it.
      const parsers = Object.fromEntries(fields.map((field: PgField) => [field.dataTypeID, (text: string) => text]));
      await db.exec("BEGIN READ ONLY; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'");
      try {
        await db.query(`DECLARE db_tickets_export NO SCROLL CURSOR FOR ${options.format === 'csv' ? select : jsonRowsQuery(select)}`);
        if (options.format === 'csv') output.push(csvLine(columns), 0);
        for (;;) {
          output.throwIfCancelled();
          const { rows } = await db.query<string[]>(`FETCH ${fetchRows} FROM db_tickets_export`, [], { rowMode: 'array', parsers });
          if (rows.length === 0) break;
          let text = '';
          for (const row of rows) text += options.format === 'csv' ? csvLine(row) : `${row[0]}\n`;
          await output.push(text, rows.length);
          // Let the signal and the output's events through between batches.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        await db.query('ROLLBACK');
      }
      await output.finish();
      return { rows: output.rows, bytes: output.bytes, columns };
    });
  }

  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    await this.queue.catch(() => undefined);
    if (database) await (await database.catch(() => undefined))?.close();
  }

  private scriptContext(options: RunOptions): ScriptContext {
    return { errorText: (error) => pgErrorText(error, this.context(options)), timeoutMs: options.timeoutMs, signal: options.signal };
  }

  private context(options: RunOptions): PgErrorContext {
    return { connection: this.name, target, signal: options.signal, timeoutMs: options.timeoutMs };
  }

  private run<T>(what: string, options: RunOptions, work: (db: PGlite) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      if (options.signal?.aborted) throw pgError({ code: '57014', message: 'cancelled' }, this.context(options), what);
      const db = await this.start();
      try {
        return await work(db);
      } catch (error) {
        throw pgError(error, this.context(options), what);
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

/** PGlite as a script session; a cancellation is honoured before each statement (only the rollback still runs). */
function session(db: PGlite, signal?: AbortSignal): PgSession {
  return {
    query: async (sql) => {
      // Let a cancellation through first: PGlite's statements alone never yield to the event loop.
      if (signal) await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted && !sql.startsWith('ROLLBACK')) throw Object.assign(new Error('cancelled'), { code: '57014' });
      const result = await db.query(sql);
      const dml = /^(INSERT|UPDATE|DELETE|MERGE|SELECT|COPY)/.test(result.command ?? '');
      return { rows: result.rows, ...(dml && result.affectedRows !== undefined ? { rowsAffected: result.affectedRows } : {}) };
    },
  };
}

async function startDemo(dataDir: string | undefined): Promise<PGlite> {
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const { rows } = await db.query<{ tables: number }>("SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'");
  if (rows[0].tables === 0) {
    const today = new Date(new Date().toISOString().slice(0, 10));
    await db.transaction(async (tx) => {
      await tx.exec(demoSchema);
      for (const insert of demoData(today)) await tx.exec(insert);
      await tx.exec('ANALYZE');
    });
  }
  return db;
}
