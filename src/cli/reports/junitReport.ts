import type { AnalyzedStatement } from '../../core/rules/analyzeSql';
import { type Risk, type RiskSeverity, isAtLeast } from '../../core/rules/riskLints';
import { sqlOneLine } from '../../core/sql/excerpt';
import type { AnalyzedInput } from './analyzedInput';

/**
 * A JUnit XML report, for CI services that show test reports (GitLab's `artifacts:reports:junit`, Jenkins…): a test
 * suite per input and a test case per statement, which fails with its risks of `failOn` severity or worse; the
 * statement's milder risks are its `system-out`.
 */
export function junitReport(inputs: readonly AnalyzedInput[], failOn: RiskSeverity): string {
  const suites = inputs.map((input) => {
    const name = input.path ?? input.name;
    const cases = input.analysis.statements.map((statement) => testCase(name, statement, failOn));
    const failures = cases.filter((c) => c.failed).length;
    return {
      tests: cases.length,
      failures,
      xml: `  <testsuite ${attributes({ name, tests: cases.length, failures, errors: 0, skipped: 0 })}>\n${cases.map((c) => c.xml).join('')}  </testsuite>\n`,
    };
  });
  const tests = suites.reduce((sum, s) => sum + s.tests, 0);
  const failures = suites.reduce((sum, s) => sum + s.failures, 0);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites ${attributes({ name: 'db-tickets analyze', tests, failures, errors: 0 })}>\n${suites.map((s) => s.xml).join('')}</testsuites>\n`
  );
}

function testCase(file: string, statement: AnalyzedStatement, failOn: RiskSeverity): { failed: boolean; xml: string } {
  const failing = statement.risks.filter((risk) => isAtLeast(risk.severity, failOn));
  const others = statement.risks.filter((risk) => !isAtLeast(risk.severity, failOn));
  const name = `statement ${statement.index} (line ${statement.start.line}): ${sqlOneLine(statement.text)}`;
  const inner: string[] = [];
  if (failing.length > 0) {
    const [first] = failing;
    const more = failing.length > 1 ? ` (and ${failing.length - 1} more)` : '';
    const body = failing.map((risk) => describe(file, statement, risk)).join('\n');
    inner.push(`      <failure ${attributes({ type: first.rule, message: `${first.message}${more}` })}>${text(body)}</failure>\n`);
  }
  if (others.length > 0) inner.push(`      <system-out>${text(others.map((risk) => describe(file, statement, risk)).join('\n'))}</system-out>\n`);
  const open = `    <testcase ${attributes({ classname: file, name, file, line: statement.start.line })}`;
  return { failed: failing.length > 0, xml: inner.length === 0 ? `${open}/>\n` : `${open}>\n${inner.join('')}    </testcase>\n` };
}

/** `file:line:column: severity [rule] message`, the place editors and CI logs read. */
function describe(file: string, statement: AnalyzedStatement, risk: Risk): string {
  return `${file}:${statement.start.line}:${statement.start.column}: ${risk.severity} [${risk.rule}] ${risk.message}`;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${text(String(value)).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')}"`)
    .join(' ');
}

/**
 * Text as XML character data: markup characters escaped, and the characters XML 1.0 cannot hold at all (control
 * characters, unpaired surrogates, U+FFFE/U+FFFF) shown as `\xNN` / `\u{NNNN}`, so the report stays well-formed.
 */
function text(value: string): string {
  return value
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, (c) => {
      const code = c.codePointAt(0)!;
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
    })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}
