import { readFile, rename, writeFile } from 'node:fs/promises';
import initSqlJs, { type Database, type SqlJsStatic, type Statement } from 'sql.js';
import { writeFileDurably } from '../../../../files/durableFile';

/** What the SQLite engine needs from a database file, whichever library opens it. */
export interface SqliteFile {
  /** Runs control statements (BEGIN, SAVEPOINT, ROLLBACK …). */
  exec(sql: string): void;
  /** Runs one statement; `changes` counts the rows a DML statement touched. */
  run(sql: string): { changes: number };
  /** One query's columns and rows (arrays; integers beyond 2^53 as bigint so every value is exact), read as iterated. */
  query(sql: string): { columns: string[]; rows: Iterable<unknown[]> };
  /** Makes committed changes durable in the file. */
  save(): Promise<void>;
  close(): void;
}

export type SqliteDriver = 'node:sqlite' | 'sql.js';

/** node:sqlite when the runtime has it with what we use (Node 22.16+/24), else sql.js. */
export function availableSqliteDrivers(): SqliteDriver[] {
  return nodeSqlite() ? ['node:sqlite', 'sql.js'] : ['sql.js'];
}

export async function openSqliteFile(file: string, driver: SqliteDriver): Promise<SqliteFile> {
  return driver === 'node:sqlite' ? openWithNodeSqlite(file) : openWithSqlJs(file);
}

interface NodeStatement {
  run(): { changes: number | bigint };
  iterate(): Iterable<unknown[]>;
  columns(): { name: string }[];
  setReadBigInts(enabled: boolean): void;
  setReturnArrays(enabled: boolean): void;
}
interface NodeDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeStatement;
  close(): void;
}
type NodeSqlite = { DatabaseSync: new (file: string) => NodeDatabase; StatementSync: { prototype: Partial<NodeStatement> } };

function nodeSqlite(): NodeSqlite | undefined {
  const sqlite = process.getBuiltinModule?.('node:sqlite') as NodeSqlite | undefined;
  const statement = sqlite?.StatementSync.prototype;
  return statement?.iterate && statement.columns && statement.setReturnArrays ? sqlite : undefined;
}

/** The file itself, with SQLite's own locking and journal: changes are durable at COMMIT. */
function openWithNodeSqlite(file: string): SqliteFile {
  const db = new (nodeSqlite()!.DatabaseSync)(file);
  return {
    exec: (sql) => db.exec(sql),
    run: (sql) => ({ changes: Number(db.prepare(sql).run().changes) }),
    query: (sql) => {
      const statement = db.prepare(sql);
      statement.setReadBigInts(true);
      statement.setReturnArrays(true);
      return { columns: statement.columns().map((column) => column.name), rows: statement.iterate() };
    },
    save: async () => undefined,
    close: () => db.close(),
  };
}

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * A copy of the file in memory (sql.js is SQLite compiled to WebAssembly: no native module on any runtime). Saving
 * writes the whole database to a temporary file renamed over the original. Another program writing the file
 * meanwhile is not coordinated with: fine for the small dev/test files this fallback is for.
 */
async function openWithSqlJs(file: string): Promise<SqliteFile> {
  const bytes = await readFile(file);
  const SQL = await (sqlJs ??= initSqlJs());
  const db: Database = new SQL.Database(bytes);
  return {
    exec: (sql) => db.exec(sql),
    run: (sql) => {
      db.run(sql);
      return { changes: db.getRowsModified() };
    },
    query: (sql) => {
      const statement = db.prepare(sql);
      return { columns: statement.getColumnNames(), rows: readRows(statement) };
    },
    save: async () => {
      const temporary = `${file}.db-tickets-${process.pid}.tmp`;
      await writeFile(temporary, db.export(), { flush: true });
      await rename(temporary, file);
    },
    close: () => db.close(),
  };
}

/** Copies a database file with `sql` applied in one transaction (in memory with sql.js), written durably in one piece. */
export async function copySqliteFile(from: string, to: string, sql: string): Promise<void> {
  const bytes = await readFile(from);
  const SQL = await (sqlJs ??= initSqlJs());
  const db = new SQL.Database(bytes);
  try {
    db.exec(`BEGIN; ${sql}; COMMIT`);
    await writeFileDurably(to, db.export());
  } finally {
    db.close();
  }
}

function* readRows(statement: Statement): Generator<unknown[]> {
  try {
    const get = statement.get as (params: null, config?: { useBigInt: boolean }) => unknown[];
    while (statement.step()) {
      const row = get.call(statement, null);
      // A number beyond 2^53 may be an integer that lost digits: the row again with integers as bigint, exact. Only
      // then, as sql.js reads each bigint through text, several times slower (the option is newer than its types).
      yield row.some(beyondSafeInteger) ? get.call(statement, null, { useBigInt: true }) : row;
    }
  } finally {
    statement.free();
  }
}

function beyondSafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}
