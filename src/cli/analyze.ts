import { Command, Option } from 'commander';
import { type AnalyzedStatement, type SqlAnalysis, analyzeSql } from '../core/rules/analyzeSql';
import { type Risk, type RiskSeverity, isAtLeast } from '../core/rules/riskLints';
import { SqlDialect } from '../core/sql/dialect';
import { inputName, readSqlInput } from './input';
import { print } from './session';
import { terminalSafe } from './terminalText';

interface AnalyzeOptions {
  dialect: SqlDialect;
  failOn?: 'error' | 'warning';
  json?: boolean;
}

/** `db-tickets analyze [FILE|-]`: split, classify and lint SQL, and say which ticket kind it fits. */
export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('split SQL into statements, classify and lint them, and infer the ticket kind they fit')
    .argument('[file]', 'SQL file to analyze; - or none reads standard input')
    .addOption(
      new Option('--dialect <dialect>', 'SQL dialect; generic is standard SQL that also accepts backtick identifiers, dollar quotes, E\'\' strings and DELIMITER lines')
        .choices(SqlDialect.options)
        .default('generic'),
    )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a risk of this severity or worse is found').choices(['error', 'warning']))
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string | undefined, _options: AnalyzeOptions, command: Command) => {
      const options = command.optsWithGlobals<AnalyzeOptions>();
      const sql = await readSqlInput(file);
      const analysis = analyzeSql(sql, { dialect: options.dialect });
      print(options, toJson(analysis), formatAnalysis(analysis));
      const failing = options.failOn ? failingRisks(analysis, options.failOn) : [];
      if (failing.length > 0) {
        // Each as `file:line: severity [rule] message`, for CI logs and editors that jump to the line.
        const where = failing.map(({ line, risk }) => `${inputName(file)}:${line}: ${risk.severity} [${risk.rule}] ${risk.message}\n`).join('');
        process.stderr.write(terminalSafe(`${where}db-tickets analyze: ${failing.length} risk${failing.length === 1 ? '' : 's'} of severity ${options.failOn} or worse (--fail-on ${options.failOn}).\n`));
        process.exitCode = 1;
      }
    });
}

function failingRisks(analysis: SqlAnalysis, threshold: RiskSeverity): Array<{ line: number; risk: Risk }> {
  return analysis.statements.flatMap((statement) => statement.risks.filter((risk) => isAtLeast(risk.severity, threshold)).map((risk) => ({ line: statement.start.line, risk })));
}

function toJson(analysis: SqlAnalysis) {
  return {
    dialect: analysis.dialect,
    ticketKind: analysis.ticketKind,
    reason: analysis.reason,
    statements: analysis.statements.map((statement) => ({
      index: statement.index,
      text: statement.text,
      start: { line: statement.start.line, column: statement.start.column },
      end: { line: statement.end.line, column: statement.end.column },
      kind: statement.kind,
      risks: statement.risks.map(({ rule, severity, message }) => ({ rule, severity, message })),
    })),
  };
}

function formatAnalysis(analysis: SqlAnalysis): string {
  const lines = [`Ticket kind: ${analysis.ticketKind ?? 'none'} (${analysis.reason})`, `Dialect: ${analysis.dialect}`];
  const totals: Record<RiskSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const statement of analysis.statements) {
    lines.push('', `${statement.index}. ${range(statement)}  ${statement.kind}${statement.readOnly ? ' (read-only)' : ''}  ${preview(statement.text)}`);
    for (const risk of statement.risks) {
      totals[risk.severity]++;
      lines.push(`   ${risk.severity} [${risk.rule}] ${risk.message}`);
    }
  }
  const count = analysis.statements.length;
  lines.push('', `${count} statement${count === 1 ? '' : 's'}; ${plural(totals.error, 'error')}, ${plural(totals.warning, 'warning')}, ${totals.info} info`);
  return `${lines.join('\n')}\n`;
}

function range(statement: AnalyzedStatement): string {
  return `${statement.start.line}:${statement.start.column}-${statement.end.line}:${statement.end.column}`;
}

function preview(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > 72 ? `${oneLine.slice(0, 71)}…` : oneLine;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
