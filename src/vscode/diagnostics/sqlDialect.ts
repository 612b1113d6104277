import type { SqlDialect } from '../../core/sql/dialect';

/** The analysis dialect for an editor language; plain `sql` gets the generic rules both dialects share. */
export function dialectOf(languageId: string): SqlDialect {
  if (/mysql|mariadb/i.test(languageId)) return 'mysql';
  if (/postgres|pgsql|plpgsql/i.test(languageId)) return 'postgres';
  return 'generic';
}
