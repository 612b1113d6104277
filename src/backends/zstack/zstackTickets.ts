import { createHash } from 'node:crypto';
import type { ApprovalStep, ExecutionSummary, TicketAction, TicketEvent, TicketSummary, UserRef } from '../../core/backend/backend';
import { sqlExcerpt } from '../../core/sql/excerpt';
import { TicketKind } from '../../core/model/ticketKind';
import type { TicketDraft } from '../../core/model/ticketDraft';
import { normalizeStatus, type NativeStatusMap, type TicketState, type TicketStatus } from '../../core/model/ticketStatus';
import type { Identity } from './session';
import type { ZStackRequestTemplate } from './zstackProfile';

export interface ZsTicket {
  uuid: string;
  name?: string;
  description?: string | null;
  status?: string;
  request?: unknown[];
  accountSystemContext?: { projectUuid?: string; virtualIDUuid?: string } | null;
  ticketTypeUuid?: string;
  flowCollectionUuid?: string;
  currentFlowUuid?: string | null;
  createDate?: string;
  lastOpDate?: string;
}

export interface ZsRequestResult {
  requestName?: string;
  successTimes?: number;
  failureTimes?: number;
  errors?: Array<{ code?: string; description?: string; details?: string }>;
}

export interface ZsHistory {
  uuid?: string;
  sequence?: number;
  ticketUuid: string;
  fromStatus?: string | null;
  toStatus?: string;
  comment?: string | null;
  operationContext?: { requestResults?: ZsRequestResult[] } | null;
  operatorUuid?: string;
  flowName?: string | null;
  createDate?: string;
}

export interface ZsFlow {
  uuid: string;
  name?: string;
  approverUuid?: string;
  approverTitle?: string;
  parentFlowUuid?: string | null;
}

export interface ZsFlowCollection {
  uuid: string;
  name?: string;
  projectUuid?: string;
  state?: string;
  status?: string;
  isDefault?: boolean;
  flows?: ZsFlow[];
  ticketTypeUuids?: string[];
}

export const nativeStatuses: NativeStatusMap = {
  Pending: 'pending_approval',
  IntermediateApproved: 'pending_approval',
  FinalApproved: 'approved',
  Rejected: 'rejected',
  Cancelled: 'cancelled',
};

/** The mark every ticket created from a draft carries in its description, so a retried submit can find it. */
export function draftMarker(draftId: string): string {
  return `[db-tickets draft ${draftId}]`;
}

/** The comment of the reopen that re-submits a cancelled ticket with a new draft's SQL; it carries the draft's marker. */
export function resubmitComment(draftId: string): string {
  return `Re-submitted: the SQL and requests were replaced from a new draft ${draftMarker(draftId)}`;
}

/**
 * The uuid a draft's ticket gets (CreateTicket's `resourceUuid`), derived from the draft id: any process can look the
 * ticket up by it at once — a query by uuid does not lag behind creates as searches do — and ZStack refuses a second
 * ticket with the same uuid.
 */
export function ticketUuidOf(draftId: string): string {
  const hash = createHash('sha256').update(`db-tickets draft ${draftId}`).digest('hex');
  // ZStack takes only a UUID's shape (dashes stripped): version 1–5 in the 13th digit, variant 8–b in the 17th.
  // Name-based, so marked as version 5; the variant digit keeps the hash's low two bits.
  const variant = ((parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
  return `${hash.slice(0, 12)}5${hash.slice(13, 16)}${variant}${hash.slice(17, 32)}`;
}

/** The description: what the ticket does, in lines a person reads in the ZStack console, and the draft marker. */
export function descriptionOf(draft: TicketDraft): string {
  return `Kind: ${draft.kind}\nDatabase: ${draft.database.trim()}\nReason: ${draft.reason.trim().replace(/\n/g, ' ')}\nSQL:\n${draft.sql}\n\n${draftMarker(draft.id)}`;
}

export interface DescriptionParts {
  kind: TicketKind | null;
  database?: string;
  reason?: string;
  sql: string;
}

/** The parts back from a description written by `descriptionOf`; any other description is its reason. */
export function parseDescription(text: string | null | undefined): DescriptionParts {
  // Exactly the separator `descriptionOf` writes, so the SQL keeps its own trailing blank lines.
  const body = (text ?? '').replace(/\n\n\[db-tickets draft [^\]\s]+\]$/, '');
  const m = /^Kind: (\S+)\nDatabase: (.*)\nReason: (.*)\nSQL:\n([\s\S]*)$/.exec(body);
  if (!m) return { kind: null, reason: body.trim() || undefined, sql: '' };
  const kind = TicketKind.safeParse(m[1]);
  return { kind: kind.success ? kind.data : null, database: m[2].trim() || undefined, reason: m[3].trim() || undefined, sql: m[4] };
}

/** The profile's request template with the draft's values in every string (deeply); the result stays valid JSON. */
export function requestOf(template: ZStackRequestTemplate, draft: TicketDraft): Record<string, unknown> {
  const values: Record<string, string> = { sql: draft.sql, database: draft.database.trim(), title: draft.title.trim(), reason: draft.reason.trim(), kind: draft.kind, draftId: draft.id };
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/\{\{\s*(sql|database|title|reason|kind|draftId)\s*\}\}/g, (_, key: string) => values[key]);
    if (Array.isArray(value)) return value.map(fill);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return {
    requestName: fill(template.requestName ?? '{{title}}'),
    apiName: template.apiName.trim(),
    executeTimes: template.executeTimes ?? 1,
    apiBody: fill(template.apiBody ?? {}),
  };
}

/** FinalApproved means the requests ran: failed when any failed, succeeded when all ran; approved until results show. */
export function statusOf(native: string | undefined, results: ZsRequestResult[] | undefined): TicketStatus {
  const status = normalizeStatus(native ?? '', nativeStatuses);
  if (native !== 'FinalApproved' || !results || results.length === 0) return status;
  const failed = results.some((r) => Number(r.failureTimes ?? 0) > 0);
  return { state: failed ? 'failed' : 'succeeded', native };
}

export interface Viewer {
  identity: Identity;
  /** Flows by uuid, from the flow collections. */
  flows: Map<string, ZsFlow & { collectionUuid: string }>;
}

export function actionsFor(ticket: ZsTicket, state: TicketState, viewer: Viewer): { actions: TicketAction[]; needsYou: boolean } {
  const mine = ticket.accountSystemContext?.virtualIDUuid === viewer.identity.uuid;
  const flow = ticket.currentFlowUuid ? viewer.flows.get(ticket.currentFlowUuid) : undefined;
  const open = ticket.status === 'Pending' || ticket.status === 'IntermediateApproved';
  const needsYou = open && !!flow && flow.approverUuid === viewer.identity.uuid;
  const actions: TicketAction[] = [];
  if (needsYou) actions.push('approve', 'reject');
  if (open && mine) actions.push('cancel');
  if ((state === 'rejected' || state === 'cancelled') && mine) actions.push('reopen');
  if (mine && (ticket.status === 'FinalApproved' || ticket.status === 'Rejected' || ticket.status === 'Cancelled')) actions.push('delete');
  return { actions, needsYou };
}

export function summaryOf(ticket: ZsTicket, viewer: Viewer, results: ZsRequestResult[] | undefined, names: ReadonlyMap<string, string>): TicketSummary {
  const status = statusOf(ticket.status, results);
  const { actions, needsYou } = actionsFor(ticket, status.state, viewer);
  const parts = parseDescription(ticket.description);
  const owner = ticket.accountSystemContext?.virtualIDUuid;
  return {
    id: ticket.uuid,
    title: ticket.name ?? '(no name)',
    kind: parts.kind,
    status,
    database: parts.database,
    submitter: owner ? { id: owner, name: names.get(owner) ?? owner } : undefined,
    createdAt: isoDate(ticket.createDate),
    updatedAt: isoDate(ticket.lastOpDate ?? ticket.createDate),
    needsYou,
    actions,
    sqlExcerpt: parts.sql ? sqlExcerpt(parts.sql) : undefined,
  };
}

/** History entries since the ticket was last (re)opened: the current approval round. */
function currentRound(history: ZsHistory[]): ZsHistory[] {
  let start = 0;
  history.forEach((h, i) => {
    if (h.toStatus === 'Pending') start = i;
  });
  return history.slice(start);
}

export function approvalSteps(ticket: ZsTicket, flows: ZsFlow[], history: ZsHistory[], names: ReadonlyMap<string, string>): ApprovalStep[] {
  const round = currentRound(history);
  const user = (uuid: string | undefined): UserRef => ({ id: uuid ?? '', name: (uuid && names.get(uuid)) ?? uuid ?? '?' });
  return flows.map((flow) => {
    const acted = round.filter((h) => h.flowName && h.flowName === flow.name).pop();
    const approvers = flow.approverUuid ? [user(flow.approverUuid)] : [];
    const name = flow.approverTitle ? `${flow.name ?? 'step'} (${flow.approverTitle})` : (flow.name ?? 'step');
    if (acted) {
      return { name, state: acted.toStatus === 'Rejected' ? 'rejected' : 'approved', approvers, actedBy: user(acted.operatorUuid), at: isoDate(acted.createDate), ...(acted.comment ? { comment: acted.comment } : {}) };
    }
    if (ticket.currentFlowUuid === flow.uuid) return { name, state: 'current', approvers };
    const closed = ticket.status === 'Rejected' || ticket.status === 'Cancelled';
    return { name, state: closed ? 'skipped' : 'waiting', approvers };
  });
}

export function historyEvents(history: ZsHistory[], names: ReadonlyMap<string, string>): TicketEvent[] {
  return history.map((h) => {
    const actor = { id: h.operatorUuid ?? '', name: (h.operatorUuid && names.get(h.operatorUuid)) ?? h.operatorUuid ?? '?' };
    const step = h.flowName ? ` (${h.flowName})` : '';
    let action: string;
    if (!h.fromStatus) action = 'submitted';
    else if (h.toStatus === 'Pending') action = /\[db-tickets draft [^\]\s]+\]/.test(h.comment ?? '') ? 'reopened with the SQL and requests of a new draft' : 'reopened';
    else if (h.toStatus === 'Cancelled') action = 'cancelled';
    else if (h.toStatus === 'Rejected') action = `rejected${step}`;
    else if (h.toStatus === 'IntermediateApproved' || h.toStatus === 'FinalApproved') action = `approved${step}`;
    else action = `${h.fromStatus} → ${h.toStatus}`;
    const results = h.operationContext?.requestResults;
    if (results?.length) action += `; requests ran: ${resultText(results)}`;
    return { at: isoDate(h.createDate), actor, action, ...(h.comment ? { comment: h.comment } : {}) };
  });
}

export function executionOf(history: ZsHistory[]): ExecutionSummary | undefined {
  const entry = history.filter((h) => h.operationContext?.requestResults?.length).pop();
  const results = entry?.operationContext?.requestResults;
  if (!entry || !results) return undefined;
  return {
    finishedAt: isoDate(entry.createDate),
    message: resultText(results),
    statements: results.map((r, index) => {
      const failed = Number(r.failureTimes ?? 0) > 0;
      const errors = (r.errors ?? []).map((e) => [e.code, e.details ?? e.description].filter(Boolean).join(' ')).filter(Boolean);
      return { index: index + 1, status: failed ? 'failed' : 'succeeded', ...(errors.length ? { message: errors[0] } : { message: `${r.requestName ?? 'request'}: ${Number(r.successTimes ?? 0)} run(s) succeeded` }) };
    }),
    hasResult: false,
  };
}

function resultText(results: ZsRequestResult[]): string {
  return results.map((r) => `${r.requestName ?? 'request'} ${Number(r.successTimes ?? 0)} succeeded, ${Number(r.failureTimes ?? 0)} failed`).join('; ');
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * ISO 8601 from Gson's default date text ("Dec 28, 2018 6:38:12 PM", read as UTC: the server's zone is not
 * given) or from ISO text; anything else is kept as it is.
 */
export function isoDate(text: string | undefined): string {
  if (!text) return '';
  const m = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s*([AP]M)?$/i.exec(text.trim());
  if (m) {
    const month = months.indexOf(m[1].toLowerCase());
    let hour = Number(m[4]);
    if (m[7]) hour = (hour % 12) + (m[7].toUpperCase() === 'PM' ? 12 : 0);
    if (month >= 0) return new Date(Date.UTC(Number(m[3]), month, Number(m[2]), hour, Number(m[5]), Number(m[6]))).toISOString();
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? text : new Date(parsed).toISOString();
}
