// The demo shop on PostgreSQL, for bench/demo.bench.ts: the schema and rows in PostgreSQL's dialect (for PGlite and
// for a private PostgreSQL server), and the demo engine DB Tickets shipped before it moved to SQLite — PGlite
// (PostgreSQL in WebAssembly) on the caller's thread, initdb and the seed at first use — kept here only to be
// measured against. With `prebuilt` a new database starts from a data directory made earlier (a tarball from
// dumpDataDir, seeded `days` days ago), its dates moved forward to today, instead of initdb and the seed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseEngine, ExportOptions, ExportResult, RowEstimate, RunOptions, StatementCheck, StatementResult } from '../src/backends/local/db/engine';
import { csvLine } from '../src/backends/local/db/export/csvFormat';
import { ExportOutput } from '../src/backends/local/db/export/exportOutput';
import { describeQuery, exportQuery, jsonRowsQuery } from '../src/backends/local/db/postgres/pgExportSql';
import { pgError, pgErrorText, type PgErrorContext } from '../src/backends/local/db/postgres/pgErrors';
import { explainRows, executeAtomically, validateInRollback } from '../src/backends/local/db/postgres/pgScript';
import type { PgField, PgSession } from '../src/backends/local/db/postgres/pgSession';
import { demoData } from '../src/backends/local/db/demo/demoSeed';

export const postgresShopSchema = `
CREATE TABLE customers (id integer PRIMARY KEY, email text NOT NULL UNIQUE, full_name text NOT NULL, country char(2) NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE products (id integer PRIMARY KEY, name text NOT NULL, category text NOT NULL, price numeric(10,2) NOT NULL CHECK (price >= 0));
CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id), placed_at timestamptz NOT NULL, status text NOT NULL, total_cents bigint NOT NULL);
CREATE TABLE order_items (order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE, product_id integer NOT NULL REFERENCES products (id),
  quantity integer NOT NULL CHECK (quantity > 0), unit_price numeric(10,2) NOT NULL, PRIMARY KEY (order_id, product_id));
CREATE TABLE legacy_coupons (code text PRIMARY KEY, discount_percent integer NOT NULL, expires_on date);
`;

/** The demo's rows as INSERT statements (1,000 rows each); the seed's times are UTC. */
export function postgresShopInserts(today: Date): string[] {
  const literal = (value: string | number | null) => (value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
  return demoData(today).flatMap(({ table, columns, rows }) => {
    const statements: string[] = [];
    for (let i = 0; i < rows.length; i += 1000) {
      const values = rows.slice(i, i + 1000).map((row) => `(${row.map(literal).join(', ')})`);
      statements.push(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(',\n')}`);
    }
    return statements;
  });
}

const target = 'the embedded demo database (PGlite)';

export interface PgliteDemoOptions {
  dataDir?: string;
  prebuilt?: { dump: string; days: number };
}

export class PgliteDemoEngine implements DatabaseEngine {
  readonly dialect = 'postgres' as const;
  readonly transactionalDdl = true;
  private database: Promise<PGlite> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly options: PgliteDemoOptions = {},
  ) {}

  estimateRows(sql: string, options: RunOptions = {}): Promise<RowEstimate | undefined> {
    return this.run('Estimating rows', options, (db) => explainRows(session(db), sql));
  }

  validate(statements: readonly string[], options: RunOptions = {}): Promise<StatementCheck[]> {
    return this.run('Checking the statements', options, (db) => validateInRollback(session(db), statements, this.scriptContext(options)));
  }

  execute(statements: readonly string[], options: RunOptions = {}): Promise<StatementResult[]> {
    return this.run('Running the change', options, (db) => executeAtomically(session(db), statements, this.scriptContext(options)));
  }

  exportQuery(sql: string, out: Writable, options: ExportOptions): Promise<ExportResult> {
    return this.run('The export', options, async (db) => {
      const { fields } = await db.query(describeQuery(sql));
      const columns = fields.map((field) => field.name);
      const select = exportQuery(sql, fields);
      const output = new ExportOutput(out, this.name, options.onProgress, options.signal);
      const parsers = Object.fromEntries(fields.map((field: PgField) => [field.dataTypeID, (text: string) => text]));
      await db.exec("BEGIN READ ONLY; SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'");
      try {
        await db.query(`DECLARE db_tickets_export NO SCROLL CURSOR FOR ${options.format === 'csv' ? select : jsonRowsQuery(select)}`);
        if (options.format === 'csv') output.push(csvLine(columns), 0);
        for (;;) {
          const { rows } = await db.query<string[]>('FETCH 1000 FROM db_tickets_export', [], { rowMode: 'array', parsers });
          if (rows.length === 0) break;
          let text = '';
          for (const row of rows) text += options.format === 'csv' ? csvLine(row) : `${row[0]}\n`;
          await output.push(text, rows.length);
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

  private scriptContext(options: RunOptions) {
    return { errorText: (error: unknown) => pgErrorText(error, this.context(options)), timeoutMs: options.timeoutMs, signal: options.signal };
  }

  private context(options: RunOptions): PgErrorContext {
    return { connection: this.name, target, signal: options.signal, timeoutMs: options.timeoutMs };
  }

  private run<T>(what: string, options: RunOptions, work: (db: PGlite) => Promise<T>): Promise<T> {
    const turn = this.queue.then(async () => {
      this.database ??= start(this.options);
      const db = await this.database;
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

/** The benchmark's CLI bundle opens the demo under its product name (see demo.bench.ts); a prebuilt start comes from the environment. */
export class DemoDatabase extends PgliteDemoEngine {
  constructor(name: string, options: { dataDir?: string } = {}) {
    const dump = process.env.DB_TICKETS_BENCH_PGLITE_DUMP;
    super(name, { ...options, ...(dump && { prebuilt: { dump, days: Number(process.env.DB_TICKETS_BENCH_PREBUILT_DAYS) } }) });
  }
}

function session(db: PGlite): PgSession {
  return {
    query: async (sql) => {
      const result = await db.query(sql);
      const dml = /^(INSERT|UPDATE|DELETE|MERGE|SELECT|COPY)/.test(result.command ?? '');
      return { rows: result.rows, ...(dml && result.affectedRows !== undefined ? { rowsAffected: result.affectedRows } : {}) };
    },
  };
}

async function start({ dataDir, prebuilt }: PgliteDemoOptions): Promise<PGlite> {
  const fresh = !dataDir || !existsSync(join(dataDir, 'PG_VERSION'));
  if (prebuilt && fresh) {
    const db = await PGlite.create({ ...(dataDir ? { dataDir } : {}), loadDataDir: new Blob([readFileSync(prebuilt.dump)]) });
    const by = `interval '${prebuilt.days} days'`;
    await db.exec(`BEGIN; UPDATE customers SET created_at = created_at + ${by}; UPDATE orders SET placed_at = placed_at + ${by};
      UPDATE legacy_coupons SET expires_on = expires_on + ${prebuilt.days}; COMMIT`);
    return db;
  }
  const db = await PGlite.create(dataDir ? { dataDir } : {});
  const { rows } = await db.query<{ tables: number }>("SELECT count(*)::int AS tables FROM pg_tables WHERE schemaname = 'public'");
  if (rows[0].tables === 0) {
    const today = new Date(new Date().toISOString().slice(0, 10));
    await db.transaction(async (tx) => {
      await tx.exec(postgresShopSchema);
      for (const insert of postgresShopInserts(today)) await tx.exec(insert);
      await tx.exec('ANALYZE');
    });
  }
  return db;
}
