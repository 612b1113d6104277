import type { SqlDialect } from '../src/core/sql/dialect';

/**
 * The least a correct splitter must do: one loop over char codes that skips quotes, comments and dollar
 * bodies and counts top-level semicolons. No positions, no output, no DELIMITER or BEGIN…END handling.
 */
export function bareScan(text: string, dialect: SqlDialect): number {
  const mysql = dialect === 'mysql';
  const len = text.length;
  let semicolons = 0;
  let i = 0;
  while (i < len) {
    const c = text.charCodeAt(i);
    if (c === 59) {
      semicolons++;
      i++;
    } else if (c === 39 || c === 34 || c === 96) {
      i++;
      while (i < len) {
        const d = text.charCodeAt(i);
        if (d === 92 && mysql) i += 2;
        else if (d === c) {
          i++;
          if (text.charCodeAt(i) !== c) break;
          i++;
        } else i++;
      }
    } else if ((c === 45 && text.charCodeAt(i + 1) === 45) || (c === 35 && mysql)) {
      while (i < len && text.charCodeAt(i) !== 10) i++;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      i += 2;
      while (i < len && !(text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47)) i++;
      i += 2;
    } else if (c === 36 && !mysql) {
      let end = i + 1;
      while (end < len && text.charCodeAt(end) !== 36 && text.charCodeAt(end) > 32) end++;
      const tag = text.slice(i, end + 1);
      i = end + 1;
      while (i < len && !(text.charCodeAt(i) === 36 && text.startsWith(tag, i))) i++;
      i += tag.length;
    } else {
      i++;
    }
  }
  return semicolons;
}
