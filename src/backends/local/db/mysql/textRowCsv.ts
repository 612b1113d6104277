import type { FieldPacket } from 'mysql2';

/**
 * How a column's text-protocol bytes become a CSV field: `text` is copied as is (quoted when needed), `binary` is
 * written as base64, `number` goes through a JavaScript number, as the JSON Lines export (mysql2) reads it.
 */
type CellKind = 'text' | 'binary' | 'number';

const float = 4;
const double = 5;
const integerTypes = new Set([1, 2, 3, 9, 13]);
/** Types whose text is not a binary string even though their character set is `binary` (63). */
const textTypes = new Set([0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 245, 246]);
const opaqueTypes = new Set([242, 255]);
const binaryCharset = 63;
const zerofill = 64;

function cellKind(field: FieldPacket): CellKind {
  const type = field.columnType ?? -1;
  if (type === float || type === double) return 'number';
  // ZEROFILL integers arrive padded ("007"); written as numbers, as before.
  if (integerTypes.has(type) && typeof field.flags === 'number' && field.flags & zerofill) return 'number';
  if (opaqueTypes.has(type)) return 'binary';
  return field.characterSet === binaryCharset && !textTypes.has(type) ? 'binary' : 'text';
}

const quote = 0x22;
const comma = 0x2c;
const lf = 0x0a;
const cr = 0x0d;
const nullMarker = 0xfb;
const chunkBytes = 256 * 1024;
/** A chunk is handed on once this full, leaving room for most rows without growing it. */
const fullBytes = chunkBytes - 16 * 1024;

/**
 * Turns MySQL text-protocol row packets straight into CSV bytes (see csvFormat.ts for the rules): every value
 * already arrives as text, so a row costs one pass over its bytes and no JavaScript values.
 */
export class TextRowCsv {
  private kinds: CellKind[] = [];
  private chunk = Buffer.allocUnsafe(chunkBytes);
  private length = 0;

  constructor(fields: readonly FieldPacket[]) {
    this.readAs(fields);
  }

  /** The columns of the rows that follow. */
  readAs(fields: readonly FieldPacket[]): void {
    this.kinds = fields.map(cellKind);
  }

  get full(): boolean {
    return this.length >= fullBytes;
  }

  /** The CSV written so far; the next rows go to a new chunk. */
  take(): Buffer {
    const written = this.chunk.subarray(0, this.length);
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.length = 0;
    return written;
  }

  line(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.length += this.chunk.write(text, this.length);
  }

  /** One row packet's payload, `source[start..end)`: length-coded strings, 0xFB for NULL. */
  row(source: Buffer, start: number, end: number): void {
    const kinds = this.kinds;
    // Worst case: every byte a doubled quote, plus quotes, a separator and base64's padding per field.
    this.reserve(2 * (end - start) + 5 * kinds.length + 1);
    const out = this.chunk;
    let at = this.length;
    let pos = start;
    for (let i = 0; i < kinds.length; i++) {
      if (i > 0) out[at++] = comma;
      let size = source[pos++];
      if (size === nullMarker) continue;
      if (size === 0xfc) {
        size = source[pos] | (source[pos + 1] << 8);
        pos += 2;
      } else if (size === 0xfd) {
        size = source[pos] | (source[pos + 1] << 8) | (source[pos + 2] << 16);
        pos += 3;
      } else if (size === 0xfe) {
        size = source.readUIntLE(pos, 6);
        pos += 8;
      }
      const stop = pos + size;
      if (size === 0) {
        out[at++] = quote;
        out[at++] = quote;
      } else if (kinds[i] === 'text') {
        at = copyText(source, pos, stop, out, at);
      } else if (kinds[i] === 'binary') {
        at += out.write(source.toString('base64', pos, stop), at, 'latin1');
      } else {
        at += out.write(String(Number(source.toString('latin1', pos, stop))), at, 'latin1');
      }
      pos = stop;
    }
    out[at++] = lf;
    this.length = at;
  }

  private reserve(bytes: number): void {
    if (this.chunk.length - this.length >= bytes) return;
    const bigger = Buffer.allocUnsafe(Math.max(chunkBytes, this.length + bytes));
    this.chunk.copy(bigger, 0, 0, this.length);
    this.chunk = bigger;
  }
}

/** Copies a field, or quotes it (doubling its quotes) when it holds a quote, comma, CR or LF. */
function copyText(source: Buffer, start: number, end: number, out: Buffer, at: number): number {
  const from = at;
  for (let i = start; i < end; i++) {
    const byte = source[i];
    if (byte <= comma && (byte === quote || byte === comma || byte === lf || byte === cr)) return quoteText(source, start, end, out, from);
    out[at++] = byte;
  }
  return at;
}

function quoteText(source: Buffer, start: number, end: number, out: Buffer, at: number): number {
  out[at++] = quote;
  for (let i = start; i < end; i++) {
    const byte = source[i];
    if (byte === quote) out[at++] = quote;
    out[at++] = byte;
  }
  out[at++] = quote;
  return at;
}
