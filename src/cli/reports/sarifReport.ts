import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, ReportingDescriptor, Result } from 'sarif';
import type { RiskSeverity } from '../../core/rules/riskLints';
import { type RiskRuleId, riskRules } from '../../core/rules/riskRules';
import { type AnalyzedInput, type Finding, findingsOf } from './analyzedInput';

const levels: Record<RiskSeverity, Result.level> = { error: 'error', warning: 'warning', info: 'note' };

/** The base that relative paths resolve against: the checkout's root, as GitHub code scanning sets it. */
const sourceRoot = '%SRCROOT%';

/**
 * A SARIF 2.1.0 log of the risks found (one run, every risk rule described), for GitHub code scanning and other
 * SARIF viewers. Regions are the statements' ranges, columns in UTF-16 code units with the end exclusive, as SARIF
 * counts them.
 */
export function sarifReport(inputs: readonly AnalyzedInput[], version: string): Log {
  const ids = Object.keys(riskRules) as RiskRuleId[];
  const rules: ReportingDescriptor[] = ids.map((id) => {
    const rule = riskRules[id];
    return {
      id,
      name: camelCase(id),
      shortDescription: { text: rule.summary },
      fullDescription: { text: rule.description },
      help: { text: rule.description },
      defaultConfiguration: { level: levels[rule.severity] },
      properties: { tags: ['sql'] },
    };
  });
  const results = inputs.flatMap((input) => {
    const seen = new Map<string, number>();
    return findingsOf(input).map((finding): Result => {
      const { statement, risk } = finding;
      return {
        ruleId: risk.rule,
        ruleIndex: ids.indexOf(risk.rule),
        level: levels[risk.severity],
        message: { text: risk.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifactLocation(input),
              region: { startLine: statement.start.line, startColumn: statement.start.column, endLine: statement.end.line, endColumn: statement.end.column },
            },
          },
        ],
        partialFingerprints: { 'dbTicketsStatement/v1': fingerprint(finding, seen) },
      };
    });
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'db-tickets', semanticVersion: version, version, rules } },
        originalUriBaseIds: { [sourceRoot]: { description: { text: 'The working directory db-tickets analyze ran in: the root of the checkout.' } } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** A file inside the working directory as a relative URI on %SRCROOT%, one outside as a file: URI, standard input by its description. */
function artifactLocation(input: AnalyzedInput): ArtifactLocation {
  if (input.path === undefined) return { description: { text: 'standard input' } };
  if (isAbsolute(input.path)) return { uri: pathToFileURL(input.path).href };
  return { uri: input.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: sourceRoot };
}

/**
 * What identifies a finding across commits while its statement is unchanged, wherever it moves in the file: the rule
 * and the statement's text with its spacing folded, counted among identical ones so each keeps its own alert.
 */
function fingerprint({ statement, risk }: Finding, seen: Map<string, number>): string {
  const key = `${risk.rule}\0${statement.text.replace(/\s+/g, ' ').trim()}`;
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  return `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${occurrence}`;
}

function camelCase(id: string): string {
  return id.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}
