import type { Writable } from 'node:stream';
import type { SqlDialect } from '../../../core/sql/dialect';

/**
 * A connection to one database the Local backend runs tickets on: the demo engine, PostgreSQL,
 * MySQL/MariaDB or a SQLite file. The workflow (precheck, execute, export) talks only to this.
 */
export interface DatabaseEngine {
  /** The connection's configured name, e.g. "demo". */
  readonly name: string;
  readonly dialect: SqlDialect;
  /** Whether DDL runs inside a transaction (PostgreSQL, SQLite) or commits implicitly (MySQL/MariaDB). */
  readonly transactionalDdl: boolean;

  /** The engine's estimate of the rows a query returns or a statement touches (EXPLAIN, or a count), where it has one. */
  estimateRows(sql: string, options?: RunOptions): Promise<RowEstimate | undefined>;

  /**
   * Checks statements without keeping their effects: run in a transaction that is rolled back where the engine
   * allows it. Statements the engine cannot check safely (MySQL DDL commits implicitly) are reported as such.
   */
  validate(statements: readonly string[], options?: RunOptions): Promise<StatementCheck[]>;

  /**
   * Runs a change. With `transactionalDdl` (or DML only) the whole script is one transaction: all or nothing.
   * Otherwise statement by statement, stopping at the first failure. Results say which ran, which failed, which
   * were skipped. A failing statement (including one stopped by the timeout) is a 'failed' result, not an error;
   * a cancellation through the signal throws DbTicketsError('cancelled').
   */
  execute(statements: readonly string[], options?: RunOptions): Promise<StatementResult[]>;

  /**
   * Streams one query's rows to `out` with constant memory, as CSV (RFC 4180, header row, LF line ends) or JSON
   * Lines. Values are exact: NULL, big integers, decimals, dates with time zones (in UTC), binary (base64), unicode.
   * `out` is not ended: the caller ends it (or deletes the partial file after a cancelled or failed export).
   */
  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult>;

  close(): Promise<void>;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Per-statement timeout; 0 or absent means the engine's default. */
  timeoutMs?: number;
}

export interface ExportOptions extends RunOptions {
  format: ExportFormat;
  /** Called now and then with the rows written so far. */
  onProgress?: (rows: number) => void;
}

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportResult {
  rows: number;
  bytes: number;
  columns: string[];
}

export interface RowEstimate {
  rows: number;
  /** Where the number comes from, e.g. "EXPLAIN" or "counted". */
  source: string;
}

export interface StatementCheck {
  /** 1-based position of the statement in the script. */
  index: number;
  status: 'ok' | 'error' | 'not_checked';
  message?: string;
}

export interface StatementResult {
  /** 1-based position of the statement in the script. */
  index: number;
  status: 'succeeded' | 'failed' | 'skipped' | 'rolled_back';
  /** Rows a DML statement touched. */
  rowsAffected?: number;
  /** For a failed statement, the engine's own words (no advice: the caller adds what to do). */
  message?: string;
}
