/**
 * How a JSON Lines value is written. Most values go through JSON.stringify; `number` is a decimal already in
 * text form (big integers, decimals) written as an exact JSON number; `json` is JSON text embedded as is;
 * `base64` is binary written as a base64 string.
 */
export type JsonCell = 'value' | 'number' | 'json' | 'base64';

/** One object per line; keys keep the query's column order (and duplicates, which JSON.parse resolves to the last). */
export function jsonLine(columns: readonly string[], kinds: readonly JsonCell[], values: readonly unknown[]): string {
  let line = '{';
  for (let i = 0; i < columns.length; i++) {
    line += (i === 0 ? '' : ',') + JSON.stringify(columns[i]) + ':' + jsonValue(kinds[i], values[i]);
  }
  return line + '}\n';
}

function jsonValue(kind: JsonCell, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (kind) {
    case 'number':
      return isJsonNumber(String(value)) ? String(value) : JSON.stringify(String(value));
    case 'json':
      return String(value);
    case 'base64':
      return JSON.stringify(Buffer.from(value as Uint8Array).toString('base64'));
    case 'value':
      return typeof value === 'bigint' ? value.toString() : value instanceof Uint8Array ? JSON.stringify(Buffer.from(value).toString('base64')) : JSON.stringify(value);
  }
}

/** NaN and Infinity are valid decimals in some engines but not JSON numbers: those are written as strings. */
const jsonNumber = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
function isJsonNumber(text: string): boolean {
  return jsonNumber.test(text);
}
