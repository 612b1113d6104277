import type { Connection, FieldPacket } from 'mysql2';
import type { ExportOutput } from '../export/exportOutput';
import { jsonLine, type JsonCell } from '../export/jsonlFormat';

/** mysql2 column types whose values arrive as exact decimal text (DECIMAL, BIGINT) or as JSON text. */
const exactNumberTypes = new Set([0, 8, 246]);
const jsonType = 245;

function jsonCells(fields: readonly FieldPacket[]): JsonCell[] {
  return fields.map((field) => (exactNumberTypes.has(field.columnType ?? -1) ? 'number' : field.columnType === jsonType ? 'json' : 'value'));
}

/** Runs a query and writes its rows as JSON Lines from mysql2's values; resolves with the column names. */
export async function exportJsonLines(connection: Connection, sql: string, output: ExportOutput): Promise<string[]> {
  const stream = connection.query({ sql, rowsAsArray: true }).stream({ highWaterMark: 1000 });
  let columns: string[] = [];
  let cells: JsonCell[] = [];
  stream.once('fields', (fields: FieldPacket[]) => {
    columns = fields.map((field) => field.name);
    cells = jsonCells(fields);
  });
  // 'data' events rather than an async iterator: a promise per row would cost more than the row itself.
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (row: unknown[]) => {
      const waiting = output.push(jsonLine(columns, cells, row), 1);
      if (waiting) {
        stream.pause();
        waiting.then(() => stream.resume(), (error: unknown) => stream.destroy(error as Error));
      }
    });
    stream.once('error', reject);
    stream.once('end', resolve);
  });
  return columns;
}
