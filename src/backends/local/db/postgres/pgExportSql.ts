import { byteaOid, type PgField } from './pgSession';

/** The query as a sub-select: trailing semicolons dropped, a newline before `)` so a trailing `--` comment stays harmless. */
function subquery(sql: string): string {
  return `(\n${sql.trim().replace(/;+\s*$/, '')}\n)`;
}

/** A query returning no rows but the columns (names and types) the export query has. */
export function describeQuery(sql: string): string {
  return `SELECT * FROM ${subquery(sql)} AS q LIMIT 0`;
}

/** The query to export: as written, or with binary columns turned into base64 text (same column names, same order). */
export function exportQuery(sql: string, fields: readonly PgField[]): string {
  if (!fields.some((field) => field.dataTypeID === byteaOid)) return sql.trim().replace(/;+\s*$/, '');
  const aliases = fields.map((_, i) => `c${i + 1}`);
  const columns = fields.map((field, i) => {
    const value = field.dataTypeID === byteaOid ? `translate(encode(q.${aliases[i]}, 'base64'), E'\\n', '')` : `q.${aliases[i]}`;
    return `${value} AS ${quoteIdent(field.name)}`;
  });
  return `SELECT ${columns.join(', ')} FROM ${subquery(sql)} AS q(${aliases.join(', ')})`;
}

/** One JSON object per row, keys in column order, values typed by PostgreSQL itself (exact numbers, ISO timestamps). */
export function jsonRowsQuery(select: string): string {
  return `SELECT row_to_json(r)::text FROM ${subquery(select)} AS r`;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
