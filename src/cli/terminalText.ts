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

/** Whether text for `stream` is coloured: FORCE_COLOR (unless 0 or false) forces it, NO_COLOR turns it off, else on a terminal. */
export function colourOn(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined) return !/^(0|false)$/i.test(env.FORCE_COLOR);
  if (env.NO_COLOR) return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export type Colour = 'red' | 'green' | 'yellow' | 'dim';
const sgr: Record<Colour, string> = { red: '31', green: '32', yellow: '33', dim: '2' };

/** `text` in `colour` when `on`; else as it is. */
export function paint(on: boolean, colour: Colour, text: string): string {
  return on ? `\x1b[${sgr[colour]}m${text}\x1b[0m` : text;
}
