import type { FieldPacket } from 'mysql2';
import { csvField } from '../export/csvFormat';
import type { JsonCell } from '../export/jsonlFormat';

/** mysql2 column types whose values arrive as exact decimal text (DECIMAL, BIGINT) or as JSON text. */
const exactNumberTypes = new Set([0, 8, 246]);
const jsonType = 245;

export function jsonCells(fields: readonly FieldPacket[]): JsonCell[] {
  return fields.map((field) => (exactNumberTypes.has(field.columnType ?? -1) ? 'number' : field.columnType === jsonType ? 'json' : 'value'));
}

/** A row as a CSV line: numbers as written, binary as base64. */
export function csvRow(row: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : ',') + csvField(csvText(row[i]));
  return line + '\n';
}

function csvText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return String(value);
}
