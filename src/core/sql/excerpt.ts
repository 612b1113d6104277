const maxLines = 6;
const maxChars = 400;

/** The first lines of a ticket's SQL for a tooltip or a list: at most six lines and 400 characters, "…" if cut. */
export function sqlExcerpt(sql: string): string {
  // One line more than shown is enough to know it was cut; long scripts are not split whole.
  const lines = sql.trim().split(/\r?\n/, maxLines + 1);
  let text = lines.slice(0, maxLines).join('\n');
  let cut = lines.length > maxLines;
  if (text.length > maxChars) {
    text = text.slice(0, maxChars).trimEnd();
    cut = true;
  }
  return cut ? `${text}\n…` : text;
}

/** A statement on one line for a list or a report: its spacing folded, cut to `max` characters with "…". */
export function sqlOneLine(sql: string, max = 72): string {
  const oneLine = sql.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
