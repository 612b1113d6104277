import type { TicketAction, TicketComment, TicketEvent, TicketSummary, UserRef } from '../../core/backend/backend';
import type { TicketDraft } from '../../core/model/ticketDraft';
import { TicketKind } from '../../core/model/ticketKind';
import { type NativeStatusMap, normalizeStatus, type TicketState, type TicketStatus } from '../../core/model/ticketStatus';
import { sqlExcerpt } from '../../core/sql/excerpt';

/** A case as the list returns it (IncidentInfoV2). */
export interface OsmCaseRow {
  incident_id: string;
  status?: number;
  business_type_name?: string;
  product_category_name?: string;
  xcustomer_id?: string;
  xcustomer_name?: string;
  customer_id?: string;
  simple_description?: string;
  create_time?: string;
  confirmed_time?: string | null;
}

export interface OsmMessage {
  message_id?: string;
  /** 0 customer, 1 Huawei engineer. */
  type?: number;
  replier?: string;
  replier_name?: string;
  content?: string;
  create_time?: string;
  is_first_message?: number;
  accessory_list?: Array<{ accessory_id?: string; file_actual_name?: string }>;
}

/** A case as the detail returns it (IncidentDetailInfoV2). */
export interface OsmCaseDetail extends OsmCaseRow {
  judgement?: string;
  dc_name?: string;
  severity_name?: string;
  message_list?: OsmMessage[];
  incident_satisfaction?: Array<{ satisfaction_id?: number; satisfaction_name?: string; satisfaction_value?: number }>;
}

export interface OsmOperateLog {
  operate_type?: number;
  operator_type?: number;
  operator_id?: string;
  operator_name?: string;
  operate_desc?: string;
  operate_time?: string;
  timestamp_operate_time?: string;
}

/** The fixed `source_id` of cases filed through the API (spec §2.4). */
export const SOURCE_ID = '83aeb0f2834c4df49826c781d32a963e';
/** The longest `simple_description` the create call takes. */
export const descriptionMax = 1200;

/**
 * Case status codes (spec §2.2): the customer is asked to confirm the result (2) or to give feedback (17); 3 is
 * completed; 12 (invalid) is a case the service turned down; 13 (deleted) is gone. Unknown codes stay unknown.
 */
export const nativeStatuses: NativeStatusMap = {
  '0': 'pending_approval', // to be accepted
  '1': 'executing', // processing
  '2': 'needs_you', // result to be confirmed
  '3': 'succeeded', // completed
  '4': 'cancelled', // cancelled
  '5': 'pending_approval', // paused, waiting on the service again
  '12': 'rejected', // invalid
  '13': 'cancelled', // deleted
  '17': 'needs_you', // pending customer feedback
};

/** The status codes of each state, for filtering; unknown codes are what no state names. */
export function codesOf(state: TicketState): number[] {
  return Object.entries(nativeStatuses)
    .filter(([, s]) => s === state)
    .map(([code]) => Number(code));
}

export function statusOf(code: number | undefined): TicketStatus {
  return normalizeStatus(code === undefined ? '' : String(code), nativeStatuses);
}

/** Which statuses allow which action (spec §2.3, partly inferred). */
const actionRules: Record<'cancel' | 'close' | 'urge' | 'comment' | 'delete', number[]> = {
  cancel: [0, 1, 5, 17],
  delete: [3, 4, 12],
  urge: [0, 1],
  close: [1, 2, 5, 17],
  comment: [0, 1, 2, 5, 17],
};

export function actionsFor(code: number | undefined): TicketAction[] {
  return (Object.keys(actionRules) as Array<keyof typeof actionRules>).filter((action) => code !== undefined && actionRules[action].includes(code));
}

/** When each action applies, for the message that refuses it. */
export const actionWhen: Record<string, string> = {
  cancel: 'before the case is completed (to be accepted, processing, paused, or pending your feedback)',
  urge: 'while the case waits to be accepted or is being processed',
  close: 'once the case is being processed or waits for your confirmation',
  comment: 'until the case is completed, cancelled or deleted',
  delete: 'once the case is completed, cancelled or invalid',
};

/** The mark every case created from a draft carries at the end of its description, so a retried submit can find it. */
export function draftMarker(draftId: string): string {
  return `[db-tickets draft ${draftId}]`;
}

/** The description: the title, kind, database and reason, the SQL (or where it is attached), and the draft marker. */
export function descriptionOf(draft: TicketDraft, attached?: { name: string; characters: number }): string {
  const oneLine = (text: string) => text.trim().replace(/\s*\n\s*/g, ' ');
  const sql = attached ? `SQL: attached as ${attached.name} (${attached.characters} characters)` : `SQL:\n${draft.sql}`;
  return `${oneLine(draft.title)}\nKind: ${draft.kind}\nDatabase: ${oneLine(draft.database)}\nReason: ${oneLine(draft.reason)}\n${sql}\n\n${draftMarker(draft.id)}`;
}

/** The name of the attached file holding a draft's SQL (.txt: the service does not take .sql). */
export function sqlFileName(draftId: string): string {
  return `db-tickets-${draftId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36)}-sql.txt`;
}

export interface DescriptionParts {
  title: string;
  kind: TicketKind | null;
  database?: string;
  reason?: string;
  sql: string;
  /** The attached file holding the SQL, when it did not fit. */
  sqlFile?: string;
  draftId?: string;
}

/** The parts back from a description written by `descriptionOf`; any other description is its title and reason. */
export function parseDescription(text: string | undefined): DescriptionParts {
  const full = text ?? '';
  const marker = /\n\n\[db-tickets draft ([^\]\s]+)\]\s*$/.exec(full);
  const body = marker ? full.slice(0, marker.index) : full;
  const m = /^(.*)\nKind: (\S+)\nDatabase: (.*)\nReason: (.*)\n(?:SQL:\n([\s\S]*)|SQL: attached as (.+) \((\d+) characters\))$/.exec(body);
  if (!m) {
    const firstLine = full.split('\n', 1)[0].trim();
    return { title: firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine || '(no description)', kind: null, reason: full.trim() || undefined, sql: '' };
  }
  const kind = TicketKind.safeParse(m[2]);
  return {
    title: m[1].trim() || '(no title)',
    kind: kind.success ? kind.data : null,
    database: m[3].trim() || undefined,
    reason: m[4].trim() || undefined,
    sql: m[5] ?? '',
    ...(m[6] ? { sqlFile: m[6] } : {}),
    ...(marker ? { draftId: marker[1] } : {}),
  };
}

/**
 * ISO 8601 from the service's times: ISO text as it is, "2019-05-22 03:30:52" in the zone the request asked for (this
 * computer's); anything else is kept as it is.
 */
export function isoTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'number') {
    // A number past the range of dates (±8.64e15 ms) has no ISO form: keep it as it is.
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(value.trim());
  if (local) return new Date(+local[1], +local[2] - 1, +local[3], +local[4], +local[5], +local[6]).toISOString();
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}

export function summaryOf(row: OsmCaseRow, parts = parseDescription(row.simple_description)): TicketSummary {
  const status = statusOf(row.status);
  return {
    id: row.incident_id,
    title: parts.title,
    kind: parts.kind,
    status,
    database: parts.database,
    submitter: row.xcustomer_id || row.xcustomer_name ? { id: row.xcustomer_id ?? '', name: row.xcustomer_name || row.xcustomer_id || '' } : undefined,
    createdAt: isoTime(row.create_time),
    updatedAt: isoTime(row.confirmed_time ?? row.create_time),
    needsYou: status.state === 'needs_you',
    actions: actionsFor(row.status),
    ...(parts.sql ? { sqlExcerpt: sqlExcerpt(parts.sql) } : {}),
  };
}

/** Who wrote a message: a Huawei engineer is named as such. */
export function authorOf(message: OsmMessage): UserRef {
  const name = message.replier_name || message.replier || '?';
  return { id: message.replier ?? '', name: message.type === 1 ? `${name} (Huawei Cloud support)` : name };
}

/** The messages after the first (which is the description) as comments, oldest first. */
export function commentsOf(messages: OsmMessage[]): TicketComment[] {
  return messages
    .filter((m, i) => !(m.is_first_message === 1 || (m.is_first_message === undefined && i === 0)))
    .map((m) => ({ author: authorOf(m), at: isoTime(m.create_time), text: m.content ?? '' }));
}

export function historyOf(logs: OsmOperateLog[], detail: OsmCaseDetail): TicketEvent[] {
  const events: TicketEvent[] = logs.map((log) => {
    const name = log.operator_name || log.operator_id || '?';
    return {
      at: isoTime(log.timestamp_operate_time ?? log.operate_time),
      actor: { id: log.operator_id ?? '', name: log.operator_type === 1 ? `${name} (Huawei Cloud support)` : name },
      action: log.operate_desc?.trim() || `operation ${log.operate_type ?? '?'}`,
    };
  });
  const scores = (detail.incident_satisfaction ?? []).filter((s) => s.satisfaction_value !== undefined);
  if (scores.length > 0) {
    events.push({
      at: events.at(-1)?.at ?? '',
      actor: { id: detail.xcustomer_id ?? '', name: detail.xcustomer_name ?? '' },
      action: `rated ${scores.map((s) => `${s.satisfaction_name ?? s.satisfaction_id}: ${s.satisfaction_value}/5`).join(', ')}`,
      ...(detail.judgement ? { comment: detail.judgement } : {}),
    });
  }
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
