import type { TicketKind } from '../model/ticketKind';
import { type StatementClass, classifyStatement } from '../sql/classify';
import type { SqlDialect } from '../sql/dialect';
import { type SqlStatement, splitSql } from '../sql/splitter';
import { type KindRules, defaultKindRules, inferTicketKind } from './kindRules';
import { type Risk, lintStatement } from './riskLints';

export type AnalyzedStatement = SqlStatement & StatementClass & { risks: Risk[] };

export interface SqlAnalysis {
  dialect: SqlDialect;
  /** The inferred kind, or null when no kind fits. */
  ticketKind: TicketKind | null;
  /** One line: why this kind, or which statement breaks which kind. */
  reason: string;
  statements: AnalyzedStatement[];
}

export interface AnalyzeOptions {
  dialect: SqlDialect;
  /** The backend's rules, when it takes more than the defaults. */
  rules?: KindRules;
  /** The kind the user chose; export lints then apply to it instead of the inferred kind. */
  ticketKind?: TicketKind;
}

/** Splits, classifies and lints SQL, and infers the ticket kind it fits. */
export function analyzeSql(sql: string, options: AnalyzeOptions): SqlAnalysis {
  const { dialect } = options;
  const classified = splitSql(sql, dialect).map((statement) => ({ ...statement, ...classifyStatement(statement.text, dialect) }));
  const inference = inferTicketKind(classified, options.rules ?? defaultKindRules);
  const lintKind = options.ticketKind ?? inference.kind;
  const statements = classified.map((statement) => ({ ...statement, risks: lintStatement(statement, { dialect, ticketKind: lintKind }) }));
  return { dialect, ticketKind: inference.kind, reason: inference.reason, statements };
}
