import type { Writable } from 'node:stream';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../engine';
import { ExportOutput } from '../export/exportOutput';
import { describeServer, type ServerConnection } from '../passwordSource';
import { tlsOptions } from '../tlsOptions';
import { CsvRowCounter } from './csvRowCounter';
import { describeQuery, exportQuery, jsonRowsQuery } from './pgExportSql';
import { pgError, pgErrorText, type PgErrorContext } from './pgErrors';
import { explainRows, executeAtomically, type ScriptContext, validateInRollback } from './pgScript';
import type { PgSession } from './pgSession';

/**
 * PostgreSQL through node-postgres. Each operation has its own connection, so a cancelled or timed-out operation
 * leaves nothing behind. Exports use COPY … TO STDOUT, the protocol psql's \copy uses.
 */
export class PostgresEngine implements DatabaseEngine {
  readonly dialect = 'postgres' as const;
  readonly transactionalDdl = true;
  readonly name: string;
  private readonly target: string;
  private readonly open = new Set<pg.Client>();

  constructor(
    private readonly connection: ServerConnection,
    private readonly password: string,
  ) {
    this.name = connection.name;
    this.target = describeServer(connection);
  }

  /** Connects once to check the connection works (login, database), as openEngine promises. */
  async check(): Promise<void> {
    await this.withClient('Connecting', {}, async (client) => void (await client.query('SELECT 1')));
  }

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.withClient('Estimating rows', options, (client) => explainRows(session(client), sql));
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.withClient('Checking the statements', options, (client) => validateInRollback(session(client), statements, this.scriptContext(options)));
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.withClient('Running the change', options, (client) => executeAtomically(session(client), statements, this.scriptContext(options)));
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.withClient('The export', options, async (client) => {
      // Exports are written in UTC with ISO dates, so the file does not depend on the server's settings.
      await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'${options.timeoutMs ? `; SET statement_timeout = ${Math.ceil(options.timeoutMs)}` : ''}`);
      const { fields } = await client.query(describeQuery(sql));
      const select = exportQuery(sql, fields);
      const copy =
        options.format === 'csv'
          ? `COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER)`
          : // CSV with quote and delimiter characters JSON never holds unescaped: each line is the JSON text as is.
            `COPY (${jsonRowsQuery(select)}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`;
      const output = new ExportOutput(out, this.name, options.onProgress, options.signal);
      const stream = client.query(copyTo(copy, { highWaterMark: 1024 * 1024 }));
      const counter = options.format === 'csv' ? new CsvRowCounter(true) : undefined;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        await output.pushBytes(chunk, counter ? counter.count(chunk) : countLines(chunk));
      }
      await output.finish();
      return { rows: stream.rowCount, bytes: output.bytes, columns: fields.map((field) => field.name) };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((client) => client.end().catch(() => undefined)));
  }

  private scriptContext(options: RunOptions): ScriptContext {
    return { errorText: (error) => pgErrorText(error, this.context(options)), timeoutMs: options.timeoutMs, signal: options.signal };
  }

  private context(options: RunOptions): PgErrorContext {
    return { connection: this.name, target: this.target, signal: options.signal, timeoutMs: options.timeoutMs };
  }

  private async withClient<T>(what: string, options: RunOptions, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const context = this.context(options);
    if (options.signal?.aborted) throw pgError({ code: '57014', message: 'cancelled' }, context, what);
    const client = new pg.Client(this.clientConfig());
    // An error on an idle client (server gone) must not crash the process; the running query reports it.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw pgError(error, context, what);
    }
    this.open.add(client);
    const cancel = () => void this.cancelBackend(client);
    options.signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await work(client);
    } catch (error) {
      throw pgError(error, context, what);
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      this.open.delete(client);
      await client.end().catch(() => undefined);
    }
  }

  /** Cancels the running statement from a second connection, as psql does on Ctrl+C. */
  private async cancelBackend(client: pg.Client): Promise<void> {
    const pid = (client as unknown as { processID: number }).processID;
    const canceller = new pg.Client(this.clientConfig());
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // The connection may be gone already; closing the client below stops the work anyway.
      client.end().catch(() => undefined);
    } finally {
      await canceller.end().catch(() => undefined);
    }
  }

  private clientConfig(): pg.ClientConfig {
    const { host, port, database, user } = this.connection;
    return {
      host,
      port,
      database,
      user,
      password: this.password,
      application_name: 'db-tickets',
      connectionTimeoutMillis: 10_000,
      ssl: tlsOptions(this.connection),
    };
  }
}

function session(client: pg.Client): PgSession {
  return {
    query: async (sql) => {
      const result = await client.query(sql);
      const dml = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'SELECT', 'COPY'].includes(result.command);
      return { rows: result.rows, ...(dml && result.rowCount !== null ? { rowsAffected: result.rowCount } : {}) };
    },
  };
}

function countLines(chunk: Buffer): number {
  let lines = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
  return lines;
}
