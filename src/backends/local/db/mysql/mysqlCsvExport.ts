import type { Connection, FieldPacket } from 'mysql2';
import { csvLine } from '../export/csvFormat';
import { progressEvery, type ExportOutput } from '../export/exportOutput';
import { TextRowCsv } from './textRowCsv';

/** The part of a mysql2 row packet the CSV writer reads: the payload is `buffer[offset..end)`. */
interface RowPacket {
  buffer: Buffer;
  offset: number;
  end: number;
}

/**
 * Runs a query and writes its rows as CSV straight from the text protocol's bytes; resolves with the column names.
 * mysql2 has no public way to read a row's raw bytes, so this query's row parser (which would build a JavaScript
 * value per cell) is replaced by one that hands each packet to the CSV writer. The connection is paused while the
 * output is waiting, so memory stays flat.
 */
export function exportCsv(connection: Connection, sql: string, output: ExportOutput): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const query = connection.query({ sql });
    let columns: string[] = [];
    let csv: TextRowCsv | undefined;
    let rows = 0;
    const hand = () => {
      const waiting = output.pushBytes(csv!.take(), rows);
      rows = 0;
      if (!waiting) return;
      connection.pause();
      waiting.then(() => connection.resume(), (error: unknown) => reject(error));
    };
    const rowParser = {
      next(packet: RowPacket): null {
        csv!.row(packet.buffer, packet.offset, packet.end);
        if (++rows === progressEvery || csv!.full) hand();
        return null;
      },
    };
    // mysql2 assigns a row parser once the columns are known; this one stays.
    Object.defineProperty(query, '_rowParser', { get: () => rowParser, set: () => undefined });
    // A procedure returns several result sets (and a status without fields, at the end): their rows follow the first
    // one's header, each read by its own columns.
    query.on('fields', (fields: FieldPacket[] | undefined) => {
      if (!fields) return;
      if (csv) return csv.readAs(fields);
      columns = fields.map((field) => field.name);
      csv = new TextRowCsv(fields);
      csv.line(csvLine(columns));
    });
    query.once('error', reject);
    query.once('end', () => {
      const last = csv && output.pushBytes(csv.take(), rows);
      Promise.resolve(last).then(() => resolve(columns), reject);
    });
  });
}
