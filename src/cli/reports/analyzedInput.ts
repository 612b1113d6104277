import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AnalyzedStatement, SqlAnalysis } from '../../core/rules/analyzeSql';
import type { Risk } from '../../core/rules/riskLints';

/** One analyzed input of `db-tickets analyze`, as the reports name it. */
export interface AnalyzedInput {
  /** The file as given on the command line, or `<stdin>`: for messages. */
  name: string;
  /**
   * The file relative to the working directory with `/` between folders, as CI services resolve paths from the
   * repository's root; absolute for a file outside the working directory; undefined for standard input.
   */
  path?: string;
  analysis: SqlAnalysis;
}

/** A risk with the statement it was found in. */
export interface Finding {
  statement: AnalyzedStatement;
  risk: Risk;
}

/** Where a report says a file is: see `AnalyzedInput.path`. */
export function reportPath(file: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, file);
  const inside = relative(cwd, absolute);
  const path = inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside) ? absolute : inside;
  return path.split(sep).join('/');
}

/** The input's risks in the order of its statements. */
export function findingsOf(input: AnalyzedInput): Finding[] {
  return input.analysis.statements.flatMap((statement) => statement.risks.map((risk) => ({ statement, risk })));
}
