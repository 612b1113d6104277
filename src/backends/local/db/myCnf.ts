/** The `password` of the [client] section of a MySQL option file (`~/.my.cnf`), unquoted; the last one wins. */
export function parseMyCnfPassword(text: string): string | undefined {
  let section = '';
  let password: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1].trim().toLowerCase();
      continue;
    }
    if (section !== 'client') continue;
    const option = /^password\s*=\s*(.*)$/.exec(line);
    if (option) password = unquote(option[1].trim());
  }
  return password;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    return value.slice(1, -1).replace(/\\(.)/g, (_, char: string) => ({ n: '\n', t: '\t', '\\': '\\', '"': '"', "'": "'" })[char] ?? `\\${char}`);
  }
  return value.replace(/\s+#.*$/, '');
}
