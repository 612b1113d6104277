/** The connection fields a `.pgpass` line is matched against. */
export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user: string;
}

/**
 * The password of the first matching `.pgpass` line (`host:port:database:user:password`, `*` matches anything,
 * `\:` and `\\` escape), as libpq reads it. `localhost` also matches 127.0.0.1 and ::1.
 */
export function matchPgpass(text: string, target: PgpassTarget): string | undefined {
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.trimStart().startsWith('#')) continue;
    const fields = splitFields(raw);
    if (fields.length < 5) continue;
    const [host, port, database, user] = fields;
    const password = fields.slice(4).join(':');
    if (matchesHost(host, target.host) && matches(port, String(target.port)) && matches(database, target.database) && matches(user, target.user)) return password;
  }
  return undefined;
}

function matches(pattern: string, value: string): boolean {
  return pattern === '*' || pattern === value;
}

function matchesHost(pattern: string, host: string): boolean {
  const loopback = ['localhost', '127.0.0.1', '::1'];
  return matches(pattern, host) || (loopback.includes(pattern) && loopback.includes(host));
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (char === '\\' && i + 1 < line.length) current += line[++i];
    else if (char === ':') {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return fields;
}
