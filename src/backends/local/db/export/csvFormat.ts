/**
 * CSV per RFC 4180 with one deliberate choice: lines end with LF, as PostgreSQL's COPY and most tools write them
 * (RFC 4180 readers accept it). A field is quoted when it holds a comma, a double quote, CR or LF, with quotes
 * doubled. NULL is an empty unquoted field and the empty string is `""`, so the two stay distinguishable.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  return needsQuotes.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const needsQuotes = /[",\r\n]/;

export function csvLine(values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]);
  return line + '\n';
}
