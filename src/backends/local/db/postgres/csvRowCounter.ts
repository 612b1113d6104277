const quote = 0x22;
const newline = 0x0a;

/** Counts CSV records in a byte stream: line feeds outside quoted fields (a doubled quote toggles twice). */
export class CsvRowCounter {
  private quoted = false;

  constructor(private skipHeader: boolean) {}

  count(chunk: Buffer): number {
    let rows = 0;
    let at = 0;
    let nextQuote = -2;
    while (at < chunk.length) {
      if (this.quoted) {
        const end = chunk.indexOf(quote, at);
        if (end === -1) break;
        this.quoted = false;
        at = end + 1;
        continue;
      }
      if (nextQuote !== -1 && nextQuote < at) nextQuote = chunk.indexOf(quote, at);
      const nextLine = chunk.indexOf(newline, at);
      if (nextLine !== -1 && (nextQuote === -1 || nextLine < nextQuote)) {
        rows++;
        at = nextLine + 1;
      } else if (nextQuote !== -1) {
        this.quoted = true;
        at = nextQuote + 1;
      } else break;
    }
    if (this.skipHeader && rows > 0) {
      this.skipHeader = false;
      rows--;
    }
    return rows;
  }
}
