import * as z from '../zod';

/** SQL dialects the analyzer understands; `generic` is the fallback when the engine is not known. */
export const SqlDialect = z.lazySchema(() => z.enum(['mysql', 'postgres', 'generic']));
export type SqlDialect = z.infer<typeof SqlDialect>;

/**
 * The dialect of a database engine as a service names it ("mysql", "PostgreSQL", "polardb_pg", "MariaDB"…);
 * generic when the engine is unknown or speaks neither.
 */
export function dialectOfEngine(engine: string | undefined): SqlDialect {
  const name = engine?.toLowerCase() ?? '';
  if (/postgres|polardb_?pg|gauss|greenplum|gpdb/.test(name)) return 'postgres';
  if (/mysql|mariadb|polardb|tidb|oceanbase(?!_oracle)/.test(name)) return 'mysql';
  return 'generic';
}

/** The lexical rules that decide where a statement ends. */
export interface DialectSyntax {
  /** A backslash escapes the next character inside '…' (and "…" when it is a string). */
  backslashEscapes: boolean;
  /** `"…"` is a string literal (MySQL) rather than an identifier. */
  doubleQuotedStrings: boolean;
  /** `# …` starts a line comment. */
  hashComments: boolean;
  /** `--` starts a comment only when followed by whitespace (MySQL); otherwise `1--1` would be a comment. */
  dashCommentNeedsSpace: boolean;
  /** Block comments nest: `/* a /* b *\/ c *\/`. */
  nestedComments: boolean;
  /** `/*! … *\/` and `/*+ … *\/` are executable code, not comments. */
  executableComments: boolean;
  /** `$$ … $$` and `$tag$ … $tag$` quote bodies. */
  dollarQuotes: boolean;
  /** `E'…'` strings with backslash escapes. */
  escapeStrings: boolean;
  /** The client directive `DELIMITER xx` changes the statement terminator. */
  delimiterDirective: boolean;
}

/**
 * Generic follows standard SQL ('' doubling, no backslash escapes, "…" identifiers) and also accepts what
 * is unambiguous elsewhere: backtick identifiers, dollar-quoted bodies, E'' strings and DELIMITER lines.
 */
export const dialectSyntax: Record<SqlDialect, DialectSyntax> = {
  mysql: {
    backslashEscapes: true,
    doubleQuotedStrings: true,
    hashComments: true,
    dashCommentNeedsSpace: true,
    nestedComments: false,
    executableComments: true,
    dollarQuotes: false,
    escapeStrings: false,
    delimiterDirective: true,
  },
  postgres: {
    backslashEscapes: false,
    doubleQuotedStrings: false,
    hashComments: false,
    dashCommentNeedsSpace: false,
    nestedComments: true,
    executableComments: false,
    dollarQuotes: true,
    escapeStrings: true,
    delimiterDirective: false,
  },
  generic: {
    backslashEscapes: false,
    doubleQuotedStrings: false,
    hashComments: false,
    dashCommentNeedsSpace: false,
    nestedComments: false,
    executableComments: false,
    dollarQuotes: true,
    escapeStrings: true,
    delimiterDirective: true,
  },
};
