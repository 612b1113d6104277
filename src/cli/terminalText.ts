/**
 * Text from tickets (titles, SQL, comments) made safe for a terminal: control characters other than line breaks
 * and tabs — escape sequences that could recolour, move the cursor or retitle the window — are shown as `\xNN` /
 * `\u{NNNN}` instead of reaching the terminal.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is escaped
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
