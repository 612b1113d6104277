import { randomUUID } from 'node:crypto';
import { checkDraft, type DraftIssue } from '../core/draft/checkDraft';
import { renderDraftDocument } from '../core/draft/draftDocument';
import { suggestTitle } from '../core/draft/suggestTitle';
import { english } from '../core/localizable';
import { TicketKind } from '../core/model/ticketKind';
import { type SqlAnalysis, analyzeSql } from '../core/rules/analyzeSql';
import type { RiskSeverity } from '../core/rules/riskLints';
import { SqlDialect } from '../core/sql/dialect';
import * as z from '../core/zod';
import { type AgentToolHost, type AgentToolResult, chosenProfile, defineTool } from './agentTool';
import { profileArgument } from './ticketArguments';

const sqlArgument = () => z.string({ error: 'give the SQL as text' }).check(z.minLength(1, 'the SQL is empty'), z.describe('The SQL text, one or more statements.'));
const dialectArgument = () =>
  z.optional(SqlDialect).check(z.describe('The SQL dialect: mysql (MySQL/MariaDB), postgres, or generic (standard SQL; the default). It decides how quotes, comments and DELIMITER lines are read.'));
const kindArgument = () => TicketKind.check(z.describe('What the ticket does: DATA_EXPORT (read data out: queries only), SCHEMA_CHANGE (DDL: CREATE, ALTER, DROP…), DATA_CHANGE (DML: INSERT, UPDATE, DELETE).'));

const AnalyzeInput = z.lazySchema(() =>
  z.strictObject({
    sql: sqlArgument(),
    dialect: dialectArgument(),
    kind: z.optional(kindArgument()).check(z.describe('The ticket kind the SQL is meant for, when known: export lints (SELECT *, no LIMIT) then apply. Default: the kind inferred from the SQL.')),
  }),
);

export const analyzeSqlTool = defineTool({
  name: 'analyze_sql',
  title: 'Analyze SQL',
  summary: 'Checks SQL for risks and says which ticket kind it fits, without connecting to a database.',
  description:
    'Checks SQL the way DB Tickets does before a ticket is filed: splits it into statements, classifies each (query, DDL, DML, DCL, transaction, session, other, and whether it only reads), ' +
    'runs the risk lints (e.g. UPDATE or DELETE without WHERE, DROP, TRUNCATE, SELECT * in an export) and says which ticket kind fits (DATA_EXPORT, SCHEMA_CHANGE, DATA_CHANGE) and why. ' +
    'Use it to review SQL before preparing a ticket, or to explain why SQL cannot become a ticket. Returns each statement with its line range, kind and findings (rule id, severity error/warning/info, message); ' +
    'errors block a ticket, warnings need a person\'s confirmation. Works offline on the text alone: it does not connect to any database, so it cannot tell whether tables or columns exist.',
  input: AnalyzeInput,
  readOnly: true,
  run: async ({ sql, dialect, kind }) => analysisResult(analyzeSql(sql, { dialect: dialect ?? 'generic', ticketKind: kind }), kind),
});

function analysisResult(analysis: SqlAnalysis, kind: TicketKind | undefined): AgentToolResult {
  const totals: Record<RiskSeverity, number> = { error: 0, warning: 0, info: 0 };
  const lines = [`Fits: ${analysis.ticketKind ?? 'no ticket kind'} (${analysis.reason}).`];
  for (const statement of analysis.statements) {
    const where = statement.start.line === statement.end.line ? `line ${statement.start.line}` : `lines ${statement.start.line}-${statement.end.line}`;
    lines.push(`${statement.index}. ${where}: ${statement.kind}${statement.readOnly ? ' (read-only)' : ''}`);
    for (const risk of statement.risks) {
      totals[risk.severity]++;
      lines.push(`   ${risk.severity} [${risk.rule}] ${risk.message}`);
    }
  }
  lines.push(`${analysis.statements.length} statement(s): ${totals.error} error(s), ${totals.warning} warning(s), ${totals.info} info.`);
  return {
    text: lines.join('\n'),
    data: {
      dialect: analysis.dialect,
      ticketKind: analysis.ticketKind,
      reason: analysis.reason,
      analyzedAs: kind ?? analysis.ticketKind,
      statements: analysis.statements.map((statement) => ({
        index: statement.index,
        startLine: statement.start.line,
        endLine: statement.end.line,
        kind: statement.kind,
        readOnly: statement.readOnly,
        findings: statement.risks.map(({ rule, severity, message }) => ({ rule, severity, message })),
      })),
      totals,
    },
  };
}

const PrepareInput = z.lazySchema(() =>
  z.strictObject({
    sql: sqlArgument(),
    kind: kindArgument(),
    database: z.string({ error: 'name the database the SQL runs on' }).check(z.minLength(1, 'name the database the SQL runs on'), z.describe('The database the SQL runs on, as the profile\'s service names it (e.g. "demo" for the Local backend\'s demo database).')),
    reason: z.optional(z.string()).check(z.describe('Why the export or change is needed; approvers read it. Ask the user when you do not know: a ticket cannot be submitted without one.')),
    title: z.optional(z.string()).check(z.describe('A short title. Default: one made from the SQL.')),
    profile: profileArgument(),
    dialect: dialectArgument(),
  }),
);

export const prepareTicketDraftTool = defineTool({
  name: 'prepare_ticket_draft',
  title: 'Prepare Ticket Draft',
  summary: 'Prepares a ticket draft from SQL for you to review and submit; submits nothing.',
  description:
    'Prepares a ticket draft for a person to review and submit: the SQL below "-- Field: value" header lines (Kind, Profile, Database, Title, Reason), in the format DB Tickets submits. ' +
    'It checks the draft as a submit would (the kind against the SQL, risk lints, required fields, what the profile\'s service takes) and returns the draft text with its problems and warnings, each at a line of the draft. ' +
    'Use it when the user wants a database change or data export done through a ticket. It never submits anything: the draft is not a ticket until a person submits it ' +
    '(in VS Code the draft opens in an editor with a Submit action; from the command line, db-tickets submit FILE).',
  input: PrepareInput,
  readOnly: true,
  run: async (input, host) => prepareDraft(input, host),
});

async function prepareDraft(input: z.infer<typeof PrepareInput>, host: AgentToolHost): Promise<AgentToolResult> {
  const profile = await chosenProfile(host, input.profile);
  const dialect = input.dialect ?? 'generic';
  const capabilities = await host.withBackend(profile, async (backend) => backend.capabilities);
  const analysis = analyzeSql(input.sql, { dialect, ticketKind: input.kind });
  const title = input.title?.trim() || suggestTitle(analysis.statements, dialect);
  // A host that keeps the draft gives it its id (VS Code: in the draft's URI); a draft returned as text carries its own.
  const draftId = host.openDraft ? undefined : randomUUID();
  const text = renderDraftDocument(
    { kind: input.kind, kindReason: input.kind === analysis.ticketKind ? `inferred: ${analysis.reason}` : 'chosen by the assistant', profile, database: input.database, title, reason: input.reason?.trim() ?? '', draftId },
    input.sql,
  );
  const check = checkDraft(text, { id: draftId ?? 'unsaved', dialect, target: { name: `profile "${profile}"`, capabilities } });
  const problems = check.ok ? [] : check.problems.map(issueJson);
  const warnings = check.ok ? check.warnings.map(({ line, rule, message }) => ({ line, rule, message })) : [];
  const note = check.ok ? check.note?.message : undefined;
  await host.openDraft?.(text, title);
  const lines = [
    problems.length > 0
      ? `The draft is not ready to submit: fix ${problems.length} problem(s) first.`
      : `The draft is ready for a person to review and submit${warnings.length > 0 ? `, confirming ${warnings.length} warning(s)` : ''}.`,
    ...problems.map((p) => `problem${p.line ? ` (line ${p.line})` : ''}: ${p.message}`),
    ...warnings.map((w) => `warning (line ${w.line}) [${w.rule}]: ${w.message}`),
    ...(note ? [`note: ${note}`] : []),
    host.openDraft ? 'The draft is open in an editor; the user submits it from there. Nothing was submitted.' : `Nothing was submitted. The draft:\n\n${text}`,
  ];
  return { text: lines.join('\n'), data: { profile, draft: text, draftId, ready: problems.length === 0, problems, warnings, note, submitted: false } };
}

function issueJson(issue: DraftIssue): { line?: number; field?: string; message: string } {
  return { line: issue.line, field: issue.field, message: english(issue.message) };
}
