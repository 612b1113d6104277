import type { TicketKind } from '../model/ticketKind';
import { type StatementClass, classifyStatement } from '../sql/classify';
import type { SqlDialect } from '../sql/dialect';
import { type SqlStatement, splitSql, type TextStart } from '../sql/splitter';
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
  /**
   * Where the SQL begins in the document the user sees (a selection, a draft's SQL below its header), so every
   * position and every message names a line of that document. Default: line 1, column 1.
   */
  start?: TextStart;
}

/** Splits, classifies and lints SQL, and infers the ticket kind it fits. */
export function analyzeSql(sql: string, options: AnalyzeOptions): SqlAnalysis {
  const { dialect } = options;
  // The split's statements are new objects, completed in place: a script of many tiny statements is mostly this.
  const classified = splitSql(sql, dialect, options.start).map((statement) => Object.assign(statement, classifyStatement(statement.text, dialect)));
  const inference = inferTicketKind(classified, options.rules ?? defaultKindRules);
  const context = { dialect, ticketKind: options.ticketKind ?? inference.kind };
  const statements: AnalyzedStatement[] = classified.map((statement) => Object.assign(statement, { risks: lintStatement(statement, context) }));
  return { dialect, ticketKind: inference.kind, reason: inference.reason, statements };
}
