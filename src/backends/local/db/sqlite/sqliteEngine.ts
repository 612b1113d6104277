import { access } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../core/errors';
import { classifyStatement } from '../../../../core/sql/classify';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { csvLine } from '../export/csvFormat';
import { ExportOutput } from '../export/exportOutput';
import { jsonLine, type JsonCell } from '../export/jsonlFormat';
import { availableSqliteDrivers, openSqliteFile, type SqliteDriver, type SqliteFile } from './sqliteFile';

export interface SqliteOptions {
  driver?: SqliteDriver;
  /** Enforce foreign keys (SQLite leaves them off unless each connection asks). */
  foreignKeys?: boolean;
  /**
   * Estimate rows by counting them: a query's rows with count(*), a data change's in a transaction that is rolled
   * back. Exact, but it costs a run of the statement, so only for small databases (the demo); otherwise there is
   * no estimate, as SQLite's EXPLAIN gives none.
   */
  countRows?: boolean;
}

/**
 * A SQLite file, through node:sqlite where the runtime has it, else sql.js (see sqliteFile.ts for the trade-off).
 * Statements run synchronously on this thread, so a timeout or a cancellation takes effect between statements
 * (and between batches of exported rows), not inside one.
 */
export class SqliteEngine implements DatabaseEngine {
  readonly dialect = 'generic' as const;
  readonly transactionalDdl = true;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly driver: SqliteDriver;

  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly options: SqliteOptions = {},
  ) {
    this.driver = options.driver ?? availableSqliteDrivers()[0];
  }

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    if (!this.options.countRows) return Promise.resolve(undefined);
    const statement = classifyStatement(sql, 'generic');
    if (statement.kind === 'query' && countable.has(statement.verb)) {
      return this.withFile(options, async (db) => {
        const [[rows]] = db.query(`SELECT count(*) FROM (\n${sql}\n)`).rows;
        return { rows: Number(rows), source: 'counted' };
      });
    }
    if (statement.kind !== 'dml') return Promise.resolve(undefined);
    return this.withFile(options, async (db) => {
      db.exec('BEGIN');
      try {
        return { rows: db.run(sql).changes, source: 'counted in a transaction that was rolled back' };
      } finally {
        db.exec('ROLLBACK');
      }
    });
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.withFile(options, async (db) => {
      const checks: StatementCheck[] = [];
      db.exec('BEGIN');
      try {
        for (const [i, sql] of statements.entries()) {
          throwIfCancelled(this.name, options.signal);
          db.exec('SAVEPOINT db_tickets_check');
          try {
            db.run(sql);
            checks.push({ index: i + 1, status: 'ok' });
          } catch (error) {
            db.exec('ROLLBACK TO db_tickets_check');
            checks.push({ index: i + 1, status: 'error', message: (error as Error).message });
          }
          db.exec('RELEASE db_tickets_check');
        }
      } finally {
        db.exec('ROLLBACK');
      }
      return checks;
    });
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.withFile(options, async (db) => {
      const results: StatementResult[] = [];
      db.exec('BEGIN');
      for (const [i, sql] of statements.entries()) {
        try {
          throwIfCancelled(this.name, options.signal);
          const { changes } = db.run(sql);
          const dml = classifyStatement(sql, 'generic').kind === 'dml';
          results.push({ index: i + 1, status: 'succeeded', ...(dml ? { rowsAffected: changes } : {}) });
        } catch (error) {
          db.exec('ROLLBACK');
          if (error instanceof DbTicketsError) throw error;
          return statements.map((_, j): StatementResult => {
            if (j < i) return { ...results[j], status: 'rolled_back' };
            if (j === i) return { index: j + 1, status: 'failed', message: (error as Error).message };
            return { index: j + 1, status: 'skipped' };
          });
        }
      }
      db.exec('COMMIT');
      await db.save();
      return results;
    });
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.withFile(options, async (db) => {
      const { columns, rows } = db.query(sql);
      const cells: JsonCell[] = columns.map(() => 'value');
      const output = new ExportOutput(out, this.name, options.onProgress, options.signal);
      if (options.format === 'csv') output.push(csvLine(columns), 0);
      for (const row of rows) {
        const pending = output.push(options.format === 'csv' ? csvLine(row.map(csvText)) : jsonLine(columns, cells, row), 1);
        if (pending) await pending;
        if (output.rows % 1000 === 0) {
          // Let a cancellation arrive: reading rows never yields to the event loop by itself.
          await new Promise((resolve) => setImmediate(resolve));
          output.throwIfCancelled();
        }
      }
      await output.finish();
      return { rows: output.rows, bytes: output.bytes, columns };
    });
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  /** One operation at a time, each on a fresh open of the file. */
  private withFile<T>(options: RunOptions, work: (db: SqliteFile) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      throwIfCancelled(this.name, options.signal);
      const db = await this.open();
      try {
        return await work(db);
      } catch (error) {
        if (error instanceof DbTicketsError) throw error;
        throw new DbTicketsError('failed', `The statement failed on "${this.name}" (SQLite ${this.file}): ${(error as Error).message}. Fix the SQL and try again.`, { cause: error });
      } finally {
        db.close();
      }
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async open(): Promise<SqliteFile> {
    try {
      await access(this.file);
      const db = await openSqliteFile(this.file, this.driver);
      if (this.options.foreignKeys) db.exec('PRAGMA foreign_keys = ON');
      return db;
    } catch (error) {
      throw new DbTicketsError('config', `The SQLite file of "${this.name}" cannot be opened (${this.file}): ${(error as Error).message}. Check the connection's file path.`, {
        cause: error,
      });
    }
  }
}

/** Queries SQLite accepts inside FROM ( … ). */
const countable = new Set(['SELECT', 'WITH … SELECT', 'VALUES']);

function csvText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return String(value);
}

function throwIfCancelled(name: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbTicketsError('cancelled', `The operation on "${name}" was cancelled.`);
}
