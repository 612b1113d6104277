import { Command, Option } from 'commander';
import { version } from '../../package.json';
import { DbTicketsError } from '../core/errors';
import { type AnalyzedStatement, type SqlAnalysis, analyzeSql } from '../core/rules/analyzeSql';
import { type Risk, type RiskSeverity, isAtLeast } from '../core/rules/riskLints';
import { SqlDialect } from '../core/sql/dialect';
import { sqlOneLine } from '../core/sql/excerpt';
import { inputName, readSqlInput } from './input';
import { type AnalyzedInput, findingsOf, reportPath } from './reports/analyzedInput';
import { githubAnnotations } from './reports/githubAnnotations';
import { junitReport } from './reports/junitReport';
import { sarifReport } from './reports/sarifReport';
import { jsonSchemaVersion } from './session';
import { terminalSafe } from './terminalText';

const formats = ['text', 'json', 'github', 'sarif', 'junit'] as const;
type Format = (typeof formats)[number];

interface AnalyzeOptions {
  dialect: SqlDialect;
  failOn?: 'error' | 'warning';
  json?: boolean;
  format?: Format;
}

const formatsAndExitCodes = `
Output formats:
  text    statements, their kinds and risks, for people (the default)
  json    the same as --json: a JSON object per input; with several inputs,
          one per line, each naming its "file"
  github  GitHub Actions annotations on the lines of each risk
  sarif   a SARIF 2.1.0 log, e.g. for GitHub code scanning
  junit   a JUnit XML report: a test suite per input, a test case per
          statement, failed by its risks of the --fail-on severity or worse
          (default: error)
  github and sarif name files relative to the working directory: run from the
  root of the repository.

Exit codes:
  0  analyzed; risks change the exit code only with --fail-on
  1  a risk of the --fail-on severity or worse was found (each on stderr as
     file:line: severity [rule] message)
  2  usage error: an unknown option or value, an input that cannot be read,
     --json with another --format
`;

/** `db-tickets analyze [FILE...|-]`: split, classify and lint SQL, and say which ticket kind it fits. */
export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('split SQL into statements, classify and lint them, and infer the ticket kind they fit')
    .argument('[files...]', 'SQL files to analyze, each on its own; - or none reads standard input')
    .addOption(
      new Option('--dialect <dialect>', 'SQL dialect; generic is standard SQL that also accepts backtick identifiers, dollar quotes, E\'\' strings and DELIMITER lines')
        .choices(SqlDialect.options)
        .default('generic'),
    )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a risk of this severity or worse is found').choices(['error', 'warning']))
    .addOption(new Option('--format <format>', 'output format (see below)').choices(formats))
    .option('--json', 'print machine-readable JSON (the same as --format json)')
    .addHelpText('after', formatsAndExitCodes)
    .action(async (files: string[], _options: AnalyzeOptions, command: Command) => {
      const options = command.optsWithGlobals<AnalyzeOptions>();
      const format = outputFormat(options);
      const inputs: AnalyzedInput[] = [];
      for (const file of inputFiles(files)) {
        const sql = await readSqlInput(file);
        const path = file === undefined || file === '-' ? undefined : reportPath(file);
        inputs.push({ name: inputName(file), path, analysis: analyzeSql(sql, { dialect: options.dialect }) });
      }
      process.stdout.write(render(format, inputs, options));
      const failing = options.failOn ? failingRisks(inputs, options.failOn) : [];
      if (failing.length > 0) {
        // Each as `file:line: severity [rule] message`, for CI logs and editors that jump to the line.
        const where = failing.map(({ name, line, risk }) => `${name}:${line}: ${risk.severity} [${risk.rule}] ${risk.message}\n`).join('');
        process.stderr.write(terminalSafe(`${where}db-tickets analyze: ${failing.length} risk${failing.length === 1 ? '' : 's'} of severity ${options.failOn} or worse (--fail-on ${options.failOn}).\n`));
        process.exitCode = 1;
      }
    });
}

/** The format asked for: --json is --format json, and asking for two different ones is a usage error. */
function outputFormat(options: AnalyzeOptions): Format {
  if (options.json && options.format !== undefined && options.format !== 'json') {
    throw new DbTicketsError('usage', `--json and --format ${options.format} ask for two different outputs: give one of them (--format json is the same as --json).`);
  }
  return options.json ? 'json' : (options.format ?? 'text');
}

/** The inputs to read: standard input when no file is given; `-` (standard input) at most once. */
function inputFiles(files: string[]): Array<string | undefined> {
  if (files.length === 0) return [undefined];
  if (files.filter((file) => file === '-').length > 1) throw new DbTicketsError('usage', 'Standard input (-) is given more than once: it can be read only once, so give - at most once.');
  return files;
}

function render(format: Format, inputs: AnalyzedInput[], options: AnalyzeOptions): string {
  switch (format) {
    case 'text':
      return terminalSafe(inputs.map((input) => (inputs.length > 1 ? `File: ${input.name}\n` : '') + formatAnalysis(input.analysis)).join('\n'));
    case 'json':
      // One input prints the object it always has; several print one line each, with the file it describes.
      return inputs
        .map((input) => `${JSON.stringify({ schemaVersion: jsonSchemaVersion, ...(inputs.length > 1 ? { file: input.path ?? input.name } : {}), ...toJson(input.analysis) })}\n`)
        .join('');
    case 'github':
      return terminalSafe(githubAnnotations(inputs));
    case 'sarif':
      return `${JSON.stringify(sarifReport(inputs, version), null, 2)}\n`;
    case 'junit':
      return junitReport(inputs, options.failOn ?? 'error');
  }
}

function failingRisks(inputs: AnalyzedInput[], threshold: RiskSeverity): Array<{ name: string; line: number; risk: Risk }> {
  return inputs.flatMap((input) =>
    findingsOf(input)
      .filter(({ risk }) => isAtLeast(risk.severity, threshold))
      .map(({ statement, risk }) => ({ name: input.name, line: statement.start.line, risk })),
  );
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
    lines.push('', `${statement.index}. ${range(statement)}  ${statement.kind}${statement.readOnly ? ' (read-only)' : ''}  ${sqlOneLine(statement.text)}`);
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
