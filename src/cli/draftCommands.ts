import { randomUUID } from 'node:crypto';
import { Command, Option } from 'commander';
import { localProfile } from '../backends/profiles';
import type { Backend, TicketSummary } from '../core/backend/backend';
import { closingAction } from '../core/backend/declaredActions';
import { failedChecks, formatSummary } from '../core/backend/ticketText';
import { type DraftCheck, type DraftIssue, checkDraft } from '../core/draft/checkDraft';
import { type ParsedDraft, parseDraftDocument, renderDraftDocument } from '../core/draft/draftDocument';
import { suggestTitle } from '../core/draft/suggestTitle';
import { DbTicketsError } from '../core/errors';
import { english } from '../core/localizable';
import type { TicketKind } from '../core/model/ticketKind';
import { statusLabel } from '../core/model/ticketStatus';
import { analyzeSql } from '../core/rules/analyzeSql';
import { inputName, readSqlInput } from './input';
import { terminalSafe } from './terminalText';
import { type GlobalOptions, print, withBackend } from './session';

const kinds: Record<string, TicketKind> = { export: 'DATA_EXPORT', schema: 'SCHEMA_CHANGE', change: 'DATA_CHANGE' };

/** The option of `create` / `draft` that fills each draft field, for messages. */
const optionOf: Record<string, string> = { kind: '--kind', database: '--db', title: '--title', reason: '--reason' };

interface DraftOptions extends GlobalOptions {
  kind: string;
  db: string;
  title?: string;
  reason?: string;
  key?: string;
  stakeholder: string[];
  rows?: number;
  logical?: boolean;
}

interface SubmitOptions extends GlobalOptions {
  onPrecheckFailure: 'keep' | 'close';
}

/** create, draft and submit: every way the CLI files a ticket goes through the one draft check of the core. */
export function draftCommands(): Command[] {
  return [create(), draft(), submit()];
}

function draftOptions(command: Command): Command {
  return command
    .argument('[file]', 'SQL file; - or none reads standard input')
    .addOption(new Option('--kind <kind>', 'what the ticket does').choices(Object.keys(kinds)).makeOptionMandatory())
    .requiredOption('--db <name>', 'the database the SQL runs on')
    .option('--title <title>', 'a short title (default: taken from the SQL)')
    .option('--reason <reason>', 'why it is needed; approvers read it')
    .option('--key <key>', 'the draft id: the same key again resumes the same ticket instead of filing another (e.g. a pipeline run id)', draftKey)
    .option('--stakeholder <user>', 'someone to involve (user id or name); repeat for several', (value: string, all: string[]) => [...all, value], [])
    .option('--rows <n>', 'your estimate of the rows the SQL reads or changes (without it the service counts them in its precheck)', rowCount)
    .option('--logical', 'the database is a logical database (DMS)')
    .option('--json', 'print machine-readable JSON');
}

/** What `create` and `submit` do with a ticket whose precheck failed. */
function precheckOption(command: Command): Command {
  return command.addOption(
    new Option('--on-precheck-failure <what>', 'when the service\'s precheck fails: keep the ticket open to look at, or close it').choices(['keep', 'close']).default('keep'),
  );
}

function create(): Command {
  return precheckOption(draftOptions(new Command('create').description('create a ticket from SQL (a file, or standard input)'))).action(
    async (file: string | undefined, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<DraftOptions & SubmitOptions>();
      const sql = await readSqlInput(file);
      const id = options.key ?? randomUUID();
      await withBackend(options, async (backend, signal) => {
        const source = { name: inputName(file), sqlLine: 1 };
        const draft = checked(checkDraft(fromOptions(options, sql), { id, dialect: 'generic', target: targetOf(backend, options) }), source.name);
        await submitChecked(options, backend, draft, source, signal).catch((error: unknown) => {
          // A random key cannot be given again: name it, so the same command can resume this ticket.
          if (options.key || !(error instanceof DbTicketsError) || error.details.resumeDraftId !== id) throw error;
          throw new DbTicketsError(error.kind, `${error.message} From the command line: run the same command again with --key ${id}.`, error.details);
        });
      });
    },
  );
}

function draft(): Command {
  return draftOptions(new Command('draft').description('print a draft file for the SQL instead of submitting it (submit it later with `submit FILE`)')).action(
    async (file: string | undefined, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<DraftOptions>();
      const sql = await readSqlInput(file);
      await withBackend(options, async (backend) => {
        const id = options.key ?? randomUUID();
        const { draft: checkedDraft } = checked(checkDraft(fromOptions(options, sql), { id, dialect: 'generic', target: targetOf(backend, options) }), inputName(file));
        const text = renderDraftDocument(
          {
            kind: checkedDraft.kind,
            kindReason: 'chosen with --kind',
            profile: options.profile ?? '',
            database: checkedDraft.database,
            title: checkedDraft.title,
            reason: checkedDraft.reason,
            draftId: id,
          },
          checkedDraft.sql,
        );
        print(options, { id, draft: text }, text.endsWith('\n') ? text : `${text}\n`);
      });
    },
  );
}

function submit(): Command {
  return precheckOption(new Command('submit'))
    .description('submit a draft file (header comments + SQL); submitting the same file again finds the same ticket')
    .argument('<file>', 'the draft file, e.g. one made with `db-tickets draft`')
    .option('--json', 'print machine-readable JSON')
    .action(async (file: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<SubmitOptions>();
      const text = await readSqlInput(file);
      const parsed = parseDraftDocument(text);
      const profile = options.profile ?? (parsed.profile || localProfile.name);
      await withBackend({ ...options, profile }, async (backend, signal) => {
        const source = { name: inputName(file), sqlLine: parsed.sqlLine };
        const draft = checked(checkDraft(parsed, { dialect: 'generic', target: targetOf(backend, { ...options, profile }) }), source.name);
        await submitChecked(options, backend, draft, source, signal);
      });
    });
}

/** Where a draft's SQL came from: the input's name for messages, and the line of it where the SQL starts. */
interface DraftSource {
  name: string;
  sqlLine: number;
}

/**
 * Submits a checked draft. A ticket that came back failed (its precheck failed) exits 1 with the precheck's findings,
 * and is kept open or closed as --on-precheck-failure says — saying which.
 */
async function submitChecked(options: SubmitOptions, backend: Backend, draft: Extract<DraftCheck, { ok: true }>, source: DraftSource, signal: AbortSignal): Promise<void> {
  for (const warning of draft.warnings) process.stderr.write(terminalSafe(`db-tickets: warning: ${at(source.name, warning.line)}${warning.message}\n`));
  if (draft.note) process.stderr.write(terminalSafe(`db-tickets: note: ${at(source.name, draft.note.line)}${draft.note.message}\n`));
  const ticket = await backend.submit(draft.draft, { signal });
  if (ticket.status.state !== 'failed') {
    printSubmitted(options, ticket);
    return;
  }
  process.exitCode = 1;
  const detail = await backend.get(ticket.id, { signal });
  const failed = failedChecks(detail.precheck);
  const findings = failed.length > 0 ? failed.map((line) => `  ${line}`).join('\n') : `  ${detail.execution?.message ?? detail.status.native}`;
  const closing = closingAction(detail.actions);
  let outcome: string;
  if (options.onPrecheckFailure === 'close' && closing) {
    const closed = await backend.act(ticket.id, { action: closing, comment: 'Closed because its precheck failed.' }, { signal });
    outcome = `Ticket #${ticket.id} is closed (${statusLabel(closed.status)}). Fix the SQL and create a new ticket.`;
    printSubmitted(options, closed);
  } else {
    outcome = closing
      ? `Ticket #${ticket.id} stays open on the service. Fix the SQL and create a new ticket, then close this one: db-tickets ${closing} ${ticket.id}`
      : `Ticket #${ticket.id} is kept by the service as it is: fix the SQL and create a new ticket.`;
    printSubmitted(options, ticket);
  }
  // The service numbers lines in the ticket's SQL; say where that starts when the file has a header above it.
  const lines = source.sqlLine > 1 ? ` (its SQL starts at line ${source.sqlLine} of ${source.name})` : '';
  process.stderr.write(terminalSafe(`db-tickets: the precheck of #${ticket.id} failed${lines}:\n${findings}\n${outcome}\n`));
}

function printSubmitted(options: GlobalOptions, ticket: TicketSummary): void {
  print(options, ticket, `${formatSummary(ticket).trimEnd().replace(/^#/, 'Submitted #')}\n`);
}

/** The draft, or a usage error (exit 2) naming each problem's line as `input:line:`, or the option that fills the field. */
function checked(check: DraftCheck, input: string): Extract<DraftCheck, { ok: true }> {
  if (check.ok) return check;
  throw new DbTicketsError('usage', check.problems.map((problem) => describe(problem, input)).join('\n'));
}

function describe(problem: DraftIssue, input: string): string {
  const message = english(problem.message);
  if (problem.line) return `${at(input, problem.line)}${message}`;
  const option = problem.field && optionOf[problem.field];
  return option ? `${message} (${option})` : message;
}

/** `file:line: `, the place compilers and editors read, or nothing without a line. */
function at(input: string, line: number | undefined): string {
  return line ? `${input}:${line}: ` : '';
}

function fromOptions(options: DraftOptions, sql: string): ParsedDraft {
  const kind = kinds[options.kind];
  return {
    draftId: '',
    kind,
    profile: options.profile ?? '',
    database: options.db,
    title: options.title ?? suggestTitle(analyzeSql(sql, { dialect: 'generic', ticketKind: kind }).statements, 'generic'),
    reason: options.reason ?? '',
    stakeholders: options.stakeholder,
    estimatedRows: options.rows === undefined ? '' : String(options.rows),
    attachments: [],
    backendFields: options.logical ? JSON.stringify({ logic: true }) : '',
    sql,
    sqlLine: 1,
    lines: {},
    unknownFields: [],
  };
}

function targetOf(backend: Backend, options: GlobalOptions) {
  return { name: `profile "${options.profile ?? localProfile.name}"`, capabilities: backend.capabilities };
}

function rowCount(value: string): number {
  if (!/^\d{1,15}$/.test(value.trim())) throw new DbTicketsError('usage', `--rows must be a whole number of rows, 0 or more; not "${value}".`);
  return Number(value.trim());
}

/** A caller's idempotency key: kept on the ticket, so plain text of a sensible length. */
function draftKey(value: string): string {
  const key = value.trim();
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (key === '' || key.length > 128 || /[\x00-\x1f\x7f]/.test(key)) {
    throw new DbTicketsError('usage', `--key must be 1 to 128 printable characters, e.g. a pipeline's run id; not "${value}".`);
  }
  return key;
}
