/**
 * What a risk rule looks for, for reports that describe their rules (SARIF): the severity its risks have, a one-line
 * summary and the longer why.
 */
export interface RiskRule {
  severity: 'error' | 'warning' | 'info';
  summary: string;
  description: string;
}

/**
 * Every rule the risk lints apply, by id. `Risk.rule` is typed by these keys, so a lint with a rule missing here
 * does not compile; a unit test checks each rule fires at the severity given here.
 */
export const riskRules = {
  unterminated: {
    severity: 'error',
    summary: 'Unterminated quote, comment or dollar-quoted body',
    description: 'A quoted text, comment or dollar-quoted body is opened and never closed, so the rest of the input becomes part of it. Close it where it should end.',
  },
  'hidden-effect': {
    severity: 'warning',
    summary: 'Statement with an effect that is easy to miss',
    description:
      'The statement reads like a query but changes or locks something: WITH … DELETE/UPDATE/INSERT, SELECT … INTO, EXPLAIN ANALYZE of a change, SELECT … FOR UPDATE, COPY, CALL or DO. Check that the effect is intended before submitting.',
  },
  'drop-object': {
    severity: 'error',
    summary: 'DROP TABLE, DATABASE or SCHEMA',
    description: 'Dropping a table, database or schema deletes it and all its data for good. Check the name, and make sure a backup exists.',
  },
  truncate: {
    severity: 'error',
    summary: 'TRUNCATE',
    description: 'TRUNCATE deletes every row and cannot be undone on most engines. Check that emptying the table is intended and that a backup exists.',
  },
  'delete-without-where': {
    severity: 'error',
    summary: 'DELETE without WHERE',
    description: 'A DELETE with no WHERE clause at its own level deletes every row of the table. Add a WHERE clause that selects the rows to delete.',
  },
  'update-without-where': {
    severity: 'error',
    summary: 'UPDATE without WHERE',
    description: 'An UPDATE with no WHERE clause at its own level changes every row of the table. Add a WHERE clause that selects the rows to change.',
  },
  'grant-all': {
    severity: 'warning',
    summary: 'GRANT ALL',
    description: 'GRANT ALL gives every privilege on the object, including dropping and altering it. Grant only the privileges needed, e.g. SELECT, INSERT.',
  },
  'grant-to-public': {
    severity: 'warning',
    summary: 'GRANT … TO PUBLIC',
    description: 'Granting to PUBLIC gives the privilege to every current and future user. Grant it to a specific role instead.',
  },
  'alter-rewrites-table': {
    severity: 'warning',
    summary: 'ALTER TABLE that rewrites the table',
    description:
      'Some ALTER TABLE clauses rewrite the whole table (a column type change, a volatile default, MODIFY/CHANGE COLUMN, a new engine or primary key…), locking it for the duration on large tables. Schedule it for a quiet period or use an online schema change tool.',
  },
  'select-star': {
    severity: 'warning',
    summary: 'SELECT * in a data export',
    description: 'An export with SELECT * exports every column, including sensitive ones and any added later. List the columns the export needs.',
  },
  'export-without-limit': {
    severity: 'info',
    summary: 'Data export without LIMIT',
    description: 'An export without LIMIT returns every matching row. Add a LIMIT, or check the estimated row count before submitting.',
  },
} as const satisfies Record<string, RiskRule>;

export type RiskRuleId = keyof typeof riskRules;
