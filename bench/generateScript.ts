import type { SqlDialect } from '../src/core/sql/dialect';

type Dialect = Exclude<SqlDialect, 'generic'>;

/** A small deterministic PRNG, so every run splits the same script. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const mysqlPieces: Array<(n: number) => string> = [
  (n) =>
    `INSERT INTO \`orders\` (\`id\`, \`note\`, \`amount\`) VALUES ${[0, 1, 2, 3, 4]
      .map((i) => `(${n * 5 + i}, 'note ${n}; it\\'s "quoted" \\\\ here', ${n}.50)`)
      .join(', ')};\n`,
  (n) => `UPDATE orders SET status = 'shipped', note = CONCAT(note, ';') WHERE id = ${n}; -- shipped; notify\n`,
  (n) => `/* batch ${n}; cleanup */ DELETE FROM sessions WHERE expires_at < '2024-01-01' AND id <> ${n}; # old; rows\n`,
  (n) => `SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.note LIKE '%;%' AND o.id > ${n} LIMIT 10;\n`,
];
const mysqlRare: Array<(n: number) => string> = [
  (n) => `DELIMITER //\nCREATE PROCEDURE bump_${n}() BEGIN UPDATE t SET a = a + 1 WHERE id = ${n}; SELECT 'done;'; END //\nDELIMITER ;\n`,
  (n) => `CREATE TABLE IF NOT EXISTS \`audit_${n}\` (\`id\` BIGINT PRIMARY KEY, \`what;\` VARCHAR(200) DEFAULT 'n/a');\n`,
  (n) => `CREATE TRIGGER trg_${n} BEFORE UPDATE ON orders FOR EACH ROW BEGIN IF NEW.amount < 0 THEN SET NEW.amount = 0; END IF; END;\n`,
];

const postgresPieces: Array<(n: number) => string> = [
  (n) =>
    `INSERT INTO "orders" ("id", "note", "amount") VALUES ${[0, 1, 2, 3, 4]
      .map((i) => `(${n * 5 + i}, 'note ${n}; it''s "quoted"', ${n}.50)`)
      .join(', ')};\n`,
  (n) => `UPDATE orders SET status = 'shipped', note = note || E'\\n;' WHERE id = ${n}; -- shipped; notify\n`,
  (n) => `/* batch ${n}; /* nested; */ cleanup */ DELETE FROM sessions WHERE expires_at < '2024-01-01' AND id <> ${n};\n`,
  (n) => `SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.note LIKE '%;%' AND o.id > ${n} LIMIT 10;\n`,
];
const postgresRare: Array<(n: number) => string> = [
  (n) =>
    `CREATE OR REPLACE FUNCTION touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.updated_at := now(); -- keep; fresh\n  RETURN NEW;\nEND;\n$fn$;\n`,
  (n) => `DO $$ BEGIN PERFORM pg_notify('orders', '${n};'); END $$;\n`,
  (n) => `CREATE TABLE IF NOT EXISTS "audit_${n}" ("id" bigint PRIMARY KEY, "what;" text DEFAULT 'n/a');\n`,
];

/** Yields pieces of a mixed script (mostly DML and queries, some DDL and routine bodies) until `bytes` is reached. */
function* pieces(dialect: Dialect, bytes: number, parseableOnly: boolean): Generator<string> {
  const next = random(42);
  const common = dialect === 'mysql' ? mysqlPieces : postgresPieces;
  const rare = dialect === 'mysql' ? mysqlRare : postgresRare;
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const piece = !parseableOnly && next() < 0.04 ? rare[Math.floor(next() * rare.length)](n) : common[Math.floor(next() * common.length)](n);
    size += piece.length;
    yield piece;
  }
}

/** The whole script as one string (ASCII, so its length in characters is its size in bytes). */
export function generateScript(dialect: Dialect, bytes: number, parseableOnly = false): string {
  return [...pieces(dialect, bytes, parseableOnly)].join('');
}

/**
 * A script of `bytes` as chunks of `chunkSize` characters, repeating a 1 MB block of whole statements, so
 * producing a chunk costs a slice and the script is never held whole.
 */
export function* scriptChunks(dialect: Dialect, bytes: number, chunkSize: number): Generator<string> {
  const block = generateScript(dialect, 1024 * 1024);
  for (let produced = 0; produced < bytes; produced += block.length) {
    for (let i = 0; i < block.length; i += chunkSize) yield block.slice(i, i + chunkSize);
  }
}

/** One INSERT of `bytes` as chunks of `chunkSize` characters: a statement far larger than any chunk. */
export function* singleStatementChunks(bytes: number, chunkSize: number): Generator<string> {
  const row = "(1, 'a;b', 2.5), ";
  const chunk = row.repeat(Math.ceil(chunkSize / row.length));
  yield 'INSERT INTO t (id, note, amount) VALUES ';
  for (let produced = 0; produced < bytes; produced += chunk.length) yield chunk;
  yield "(0, 'last', 0);\n";
}
