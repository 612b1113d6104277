import type { TicketDetail, TicketSummary } from '../core/backend/backend';
import { closingAction } from '../core/backend/declaredActions';
import { parseTicketId } from '../core/backend/ticketIds';
import { failedChecks, formatDetail, formatList } from '../core/backend/ticketText';
import { checkDraft } from '../core/draft/checkDraft';
import { parseDraftDocument } from '../core/draft/draftDocument';
import { DbTicketsError } from '../core/errors';
import { english } from '../core/localizable';
import { TicketState, statusLabel } from '../core/model/ticketStatus';
import * as z from '../core/zod';
import { type AgentToolHost, type AgentToolResult, chosenProfile, defineTool } from './agentTool';
import { profileArgument, ticketIdArgument } from './ticketArguments';
import { explainStatus, explanationText } from './ticketStatus';

const ListInput = z.lazySchema(() =>
  z.strictObject({
    profile: profileArgument(),
    state: z.optional(TicketState).check(
      z.describe('Only tickets in this state: pending_approval, approved, executing, succeeded, failed, rejected, cancelled, prechecking, needs_you (waiting for the current user), draft or unknown.'),
    ),
    limit: z.optional(z.int().check(z.minimum(1, 'limit takes 1 to 100'), z.maximum(100, 'limit takes 1 to 100'))).check(z.describe('How many tickets at most, newest first: 1 to 100. Default 20.')),
  }),
);

export const listTicketsTool = defineTool({
  name: 'list_tickets',
  title: 'List Tickets',
  summary: 'Lists the tickets of a profile, optionally in one state.',
  description:
    'Lists the tickets of a DB Tickets profile (a ticket service: the Local backend, Alibaba Cloud DMS, Huawei Cloud OSM, ZStack), newest first, optionally only those in one state. ' +
    'Use it to find a ticket\'s id, or to see what waits for the user (state needs_you). Returns each ticket\'s id, title, kind, state, database, submitter, whether the user is expected to act, and the actions open to the user. ' +
    'One page of at most 100 tickets; says when there are more. Reads only.',
  input: ListInput,
  readOnly: true,
  run: async ({ profile: named, state, limit }, host, signal) => {
    const profile = await chosenProfile(host, named);
    const page = await host.withBackend(profile, (backend) => backend.list({ states: state ? [state] : undefined }, { size: limit ?? 20 }, { signal }));
    const more = page.nextCursor ? `\n(more tickets exist${page.total !== undefined ? `: ${page.total} in all` : ''}; narrow the list by state)` : '';
    return {
      text: `Profile ${profile}: ${formatList({ items: page.items }).trimEnd()}${more}`,
      data: { profile, tickets: page.items.map(summaryJson), more: page.nextCursor !== undefined, total: page.total },
    };
  },
});

const TicketInput = z.lazySchema(() => z.strictObject({ id: ticketIdArgument(), profile: profileArgument() }));

export const showTicketTool = defineTool({
  name: 'show_ticket',
  title: 'Show Ticket',
  summary: 'Shows a ticket with its SQL, precheck, approvals, execution and history.',
  description:
    'Shows one ticket in full: title, kind, state (normalized and the service\'s own), database, submitter, reason, SQL, precheck findings, approval steps, execution result and the history of events (who did what, when). ' +
    'Use it when the user asks about a particular ticket. Needs the ticket id (list_tickets finds it) and the profile it belongs to when that is not the default. Reads only.',
  input: TicketInput,
  readOnly: true,
  run: async ({ id, profile: named }, host, signal) => {
    const { profile, ticket } = await getTicket(host, named, id, signal);
    return { text: `Profile ${profile}: ${formatDetail(ticket).trimEnd()}`, data: { profile, ticket: detailJson(ticket) } };
  },
});

export const explainTicketStatusTool = defineTool({
  name: 'explain_ticket_status',
  title: 'Explain Ticket Status',
  summary: 'Explains where a ticket stands, who acts next and what the next step is.',
  description:
    'Explains in plain words where a ticket stands: its state, why (a failed precheck\'s findings, a rejection\'s comment), who must act next (you, an approver, an executor, the service, the submitter, or nobody) and what the next step is, ' +
    'with the actions open to the current user. Use it when the user asks "what is happening with ticket 12" or "what do I do now". Who may act is what the ticket\'s service says. Reads only.',
  input: TicketInput,
  readOnly: true,
  run: async ({ id, profile: named }, host, signal) => {
    const { profile, ticket } = await getTicket(host, named, id, signal);
    const explanation = explainStatus(ticket);
    return { text: explanationText(ticket, explanation), data: { profile, id: ticket.id, title: ticket.title, ...explanation } };
  },
});

const SubmitInput = z.lazySchema(() =>
  z.strictObject({
    draft: z.string({ error: 'give the draft text' }).check(z.minLength(1, 'the draft is empty'), z.describe('The whole draft text as prepare_ticket_draft returned it (header lines with a "-- Draft id:" line, then the SQL), possibly edited.')),
    profile: profileArgument(),
  }),
);

export const submitTicketDraftTool = defineTool({
  name: 'submit_ticket_draft',
  title: 'Submit Ticket Draft',
  summary: "Submits a ticket draft to its profile's service.",
  description:
    'Submits a draft as a ticket to its profile\'s service, where it goes to precheck and approval: this files a real ticket that people will see. ' +
    'Use it only when the user has asked to submit this draft. The draft is checked first (kind against the SQL, risk lints, fields) and refused with each problem at its line; warnings are returned. ' +
    'Submitting the same draft (same "-- Draft id:") again returns the ticket already filed instead of a second one. Returns the ticket\'s id and state. Available only where the server was started with --allow-submit.',
  input: SubmitInput,
  readOnly: false,
  submits: true,
  run: async ({ draft, profile: named }, host, signal) => submitDraft(host, draft, named, signal),
});

async function submitDraft(host: AgentToolHost, text: string, named: string | undefined, signal: AbortSignal | undefined): Promise<AgentToolResult> {
  const parsed = parseDraftDocument(text);
  const profile = await chosenProfile(host, named ?? (parsed.profile || undefined));
  return host.withBackend(profile, async (backend) => {
    const check = checkDraft(parsed, { dialect: 'generic', target: { name: `profile "${profile}"`, capabilities: backend.capabilities } });
    if (!check.ok) throw new DbTicketsError('usage', `The draft was not submitted:\n${check.problems.map((p) => `${p.line ? `line ${p.line}: ` : ''}${english(p.message)}`).join('\n')}`);
    const ticket = await backend.submit(check.draft, { signal });
    const warnings = check.warnings.map(({ line, rule, message }) => ({ line, rule, message }));
    const lines = [`Submitted #${ticket.id} ${ticket.title} — ${statusLabel(ticket.status)} (profile ${profile}).`, ...warnings.map((w) => `warning (line ${w.line}) [${w.rule}]: ${w.message}`)];
    if (ticket.status.state === 'failed') {
      const detail = await backend.get(ticket.id, { signal });
      const failed = failedChecks(detail.precheck);
      const closing = closingAction(detail.actions);
      lines.push(`Its precheck failed: ${failed.join('; ') || detail.status.native}. Fix the SQL and prepare a new draft${closing ? `; the failed ticket stays open until someone runs ${closing} on it` : ''}.`);
    }
    return { text: lines.join('\n'), data: { profile, ticket: summaryJson(ticket), warnings } };
  });
}

async function getTicket(host: AgentToolHost, named: string | undefined, raw: string, signal: AbortSignal | undefined): Promise<{ profile: string; ticket: TicketDetail }> {
  const profile = await chosenProfile(host, named);
  const id = parseTicketId(raw);
  return { profile, ticket: await host.withBackend(profile, (backend) => backend.get(id, { signal })) };
}

function summaryJson(ticket: TicketSummary) {
  return {
    id: ticket.id,
    title: ticket.title,
    kind: ticket.kind,
    state: ticket.status.state,
    nativeStatus: ticket.status.native,
    database: ticket.database,
    submitter: ticket.submitter?.name,
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    needsYou: ticket.needsYou,
    actions: ticket.actions,
    webUrl: ticket.webUrl,
  };
}

function detailJson(ticket: TicketDetail) {
  return {
    ...summaryJson(ticket),
    sql: ticket.sql,
    reason: ticket.reason,
    filedAs: ticket.filedAs,
    estimatedRows: ticket.estimatedRows,
    precheck: ticket.precheck,
    approvals: ticket.approvals.map((step) => ({ name: step.name, state: step.state, approvers: step.approvers.map((u) => u.name), actedBy: step.actedBy?.name, at: step.at, comment: step.comment })),
    comments: ticket.comments.map((c) => ({ author: c.author.name, at: c.at, text: c.text })),
    execution: ticket.execution,
    events: ticket.history.map((e) => ({ at: e.at, actor: e.actor.name, action: e.action, comment: e.comment })),
  };
}
