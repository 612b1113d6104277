import type { RiskSeverity } from '../../core/rules/riskLints';
import { type AnalyzedInput, findingsOf } from './analyzedInput';

const commands: Record<RiskSeverity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands, one line per risk (`::error file=…,line=…::message`), which the runner turns
 * into annotations on the lines of the pull request. The columns are given only for a statement on one line:
 * GitHub takes `col`/`endColumn` (inclusive) on a single line alone. Standard input has no file to annotate.
 */
export function githubAnnotations(inputs: readonly AnalyzedInput[]): string {
  const lines: string[] = [];
  for (const input of inputs) {
    for (const { statement, risk } of findingsOf(input)) {
      const { start, end } = statement;
      const properties: Array<[string, string | number]> = [];
      if (input.path !== undefined) {
        properties.push(['file', input.path], ['line', start.line]);
        if (start.line === end.line) properties.push(['col', start.column], ['endColumn', end.column - 1]);
        else properties.push(['endLine', end.line]);
      }
      properties.push(['title', `db-tickets ${risk.rule}`]);
      const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
      lines.push(`::${commands[risk.severity]} ${list}::${escapeData(risk.message)}\n`);
    }
  }
  return lines.join('');
}

/** A command's message: `%`, CR and LF encoded, as the runner decodes them (@actions/core's escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command's property value: also `:` and `,`, which would end the value (@actions/core's escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
