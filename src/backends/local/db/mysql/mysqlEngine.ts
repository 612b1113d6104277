import type { Writable } from 'node:stream';
import mysql from 'mysql2/promise';
import type { Connection as CoreConnection, ResultSetHeader } from 'mysql2';
import { classifyStatement } from '../../../../core/sql/classify';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { ExportOutput } from '../export/exportOutput';
import { describeServer, type ServerConnection } from '../passwordSource';
import { tlsOptions } from '../tlsOptions';
import { isCancellation, mysqlError, mysqlErrorText, type MysqlErrorContext } from './mysqlErrors';
import { exportCsv } from './mysqlCsvExport';
import { exportJsonLines } from './mysqlJsonLinesExport';

type Connection = mysql.Connection;

const notCheckedDdl = 'MySQL/MariaDB commits DDL implicitly, so it cannot be tried in a transaction that is rolled back';

/**
 * MySQL and MariaDB through mysql2, one connection per operation. DDL commits implicitly, so a script with DDL runs
 * statement by statement and stops at the first failure; a DML-only script is one transaction.
 */
export class MysqlEngine implements DatabaseEngine {
  readonly dialect = 'mysql' as const;
  readonly transactionalDdl = false;
  readonly name: string;
  private readonly target: string;
  private readonly open = new Set<Connection>();

  constructor(
    private readonly connection: ServerConnection,
    private readonly password: string,
  ) {
    this.name = connection.name;
    this.target = describeServer(connection);
  }

  async check(): Promise<void> {
    await this.withConnection('Connecting', {}, async (db) => void (await db.query('SELECT 1')));
  }

  /** MySQL's estimate of the rows the outer query block produces: the product of its tables' rows × filtered. */
  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.withConnection('Estimating rows', options, async (db) => {
      const [plan] = await db.query<mysql.RowDataPacket[]>(`EXPLAIN ${sql}`);
      const outer = plan.filter((row) => row.id === plan[0]?.id && row.rows !== null && row.rows !== undefined);
      if (outer.length === 0) return undefined;
      const rows = outer.reduce((product, row) => product * Number(row.rows) * (row.filtered === undefined || row.filtered === null ? 1 : Number(row.filtered) / 100), 1);
      return { rows: Math.round(rows), source: 'EXPLAIN' };
    });
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.withConnection('Checking the statements', options, async (db) => {
      const context = this.context(options);
      const checks: StatementCheck[] = [];
      let skippedDdl = false;
      await db.query('START TRANSACTION');
      try {
        for (const [i, sql] of statements.entries()) {
          if (commitsImplicitly(sql)) {
            skippedDdl = true;
            checks.push({ index: i + 1, status: 'not_checked', message: notCheckedDdl });
            continue;
          }
          await db.query('SAVEPOINT db_tickets_check');
          try {
            await db.query(sql);
            checks.push({ index: i + 1, status: 'ok' });
          } catch (error) {
            if (options.signal?.aborted) throw error;
            await db.query('ROLLBACK TO SAVEPOINT db_tickets_check');
            const message = mysqlErrorText(error, context);
            checks.push(
              skippedDdl
                ? { index: i + 1, status: 'not_checked', message: `it fails without the earlier DDL, which the check does not apply (${message})` }
                : { index: i + 1, status: 'error', message },
            );
          }
        }
      } finally {
        await db.query('ROLLBACK');
      }
      return checks;
    });
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.withConnection('Running the change', options, async (db) => {
      const atomic = !statements.some(commitsImplicitly);
      if (atomic) await db.query('START TRANSACTION');
      const results: StatementResult[] = [];
      for (const [i, sql] of statements.entries()) {
        try {
          const [result] = await db.query(sql);
          const rowsAffected = classifyStatement(sql, 'mysql').kind === 'dml' && isHeader(result) ? { rowsAffected: result.affectedRows } : {};
          results.push({ index: i + 1, status: 'succeeded', ...rowsAffected });
        } catch (error) {
          if (atomic) await db.query('ROLLBACK').catch(() => undefined);
          if (isCancellation(error, this.context(options))) throw error;
          return [
            ...results.map((result): StatementResult => (atomic ? { ...result, status: 'rolled_back' } : result)),
            { index: i + 1, status: 'failed', message: mysqlErrorText(error, this.context(options)) },
            ...statements.slice(i + 1).map((_, j): StatementResult => ({ index: i + j + 2, status: 'skipped' })),
          ];
        }
      }
      if (atomic) await db.query('COMMIT');
      return results;
    });
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.withConnection('The export', options, async (db) => {
      await db.query("SET time_zone = '+00:00'");
      const output = new ExportOutput(out, this.name, options.onProgress, options.signal);
      // Streaming lives on the callback API underneath the promise wrapper.
      const connection = (db as unknown as { connection: CoreConnection }).connection;
      const columns = options.format === 'csv' ? await exportCsv(connection, sql, output) : await exportJsonLines(connection, sql, output);
      await output.finish();
      return { rows: output.rows, bytes: output.bytes, columns };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((db) => db.end().catch(() => undefined)));
  }

  private context(options: RunOptions): MysqlErrorContext {
    return { connection: this.name, target: this.target, signal: options.signal, timeoutMs: options.timeoutMs };
  }

  private async withConnection<T>(what: string, options: RunOptions, work: (db: Connection) => Promise<T>): Promise<T> {
    const context = this.context(options);
    if (options.signal?.aborted) throw mysqlError(new Error('cancelled'), context, what);
    let db: Connection;
    try {
      db = await mysql.createConnection(this.connectionOptions());
    } catch (error) {
      throw mysqlError(error, context, what);
    }
    db.on('error', () => undefined);
    this.open.add(db);
    const cancel = () => void this.killQuery(db.threadId);
    options.signal?.addEventListener('abort', cancel, { once: true });
    let failed = false;
    try {
      if (options.timeoutMs) await setStatementTimeout(db, options.timeoutMs);
      return await work(db);
    } catch (error) {
      failed = true;
      throw mysqlError(error, context, what);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      this.open.delete(db);
      // After a failure the server may still be sending rows; a graceful end would wait for all of them.
      if (failed) db.destroy();
      else await db.end().catch(() => db.destroy());
    }
  }

  /** Stops the running statement from a second connection, as the mysql client does on Ctrl+C. */
  private async killQuery(threadId: number): Promise<void> {
    try {
      const killer = await mysql.createConnection(this.connectionOptions());
      try {
        await killer.query(`KILL QUERY ${Number(threadId)}`);
      } finally {
        await killer.end();
      }
    } catch {
      // The statement may have finished meanwhile; nothing is left to stop.
    }
  }

  private connectionOptions(): mysql.ConnectionOptions {
    const { host, port, database, user } = this.connection;
    return {
      host,
      port,
      database,
      user,
      password: this.password,
      charset: 'utf8mb4',
      connectTimeout: 10_000,
      // Values stay exact: big integers and decimals as text, dates as the server writes them, JSON as text.
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      jsonStrings: true,
      ssl: tlsOptions(this.connection),
    };
  }
}

/** DDL and privilege statements end the open transaction in MySQL/MariaDB. */
function commitsImplicitly(sql: string): boolean {
  const { kind } = classifyStatement(sql, 'mysql');
  return kind === 'ddl' || kind === 'dcl';
}

function isHeader(result: unknown): result is ResultSetHeader {
  return typeof result === 'object' && result !== null && 'affectedRows' in result;
}

/** MariaDB limits every statement (max_statement_time, seconds); MySQL only SELECT (max_execution_time, ms). */
async function setStatementTimeout(db: Connection, timeoutMs: number): Promise<void> {
  const [rows] = await db.query<mysql.RowDataPacket[]>('SELECT VERSION() AS version');
  const mariadb = /mariadb/i.test(String(rows[0]?.version));
  await db.query(mariadb ? `SET SESSION max_statement_time = ${timeoutMs / 1000}` : `SET SESSION max_execution_time = ${Math.ceil(timeoutMs)}`);
}
