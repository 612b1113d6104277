import { createHash } from 'node:crypto';
import type { TicketDraft } from '../../core/model/ticketDraft';
import type { Params } from './operations';

/**
 * The mark every ticket created from a draft carries in its Comment, so a retried submit can find it. A draft id that
 * is not one plain word (a caller's key may hold spaces or brackets) is marked by its hash.
 */
export function draftMarker(draftId: string): string {
  const word = /^[\w.:@+/=-]{1,100}$/.test(draftId) ? draftId : `sha256-${createHash('sha256').update(draftId).digest('hex').slice(0, 32)}`;
  return `[db-tickets draft ${word}]`;
}

const markerPattern = /\n?\[db-tickets draft [^\]\s]+\]\s*$/;

/** The ticket's Comment: title, reason, and the draft marker on the last line. */
export function commentOf(draft: TicketDraft): string {
  return `${draft.title.trim()}\n${draft.reason.trim()}\n${draftMarker(draft.id)}`;
}

/** Title and reason back from a Comment written by `commentOf`; any other Comment is its own title. */
export function splitComment(comment: string | undefined): { title: string; reason?: string } {
  const text = (comment ?? '').replace(markerPattern, '').trim();
  const [first, ...rest] = text.split('\n');
  const reason = rest.join('\n').trim();
  return { title: first?.trim() || '(no comment)', reason: reason || undefined };
}

export interface ResolvedTarget {
  dbId: number;
  logic: boolean;
  /** Where DMS says the database is, when it was found by name: to explain a refusal by its instance. */
  name?: string;
  host?: string;
  port?: number;
}

export type CreateOperation = 'CreateOrder' | 'CreateDataCorrectOrder';

/**
 * The create call for a draft: a data export as CreateOrder DATA_EXPORT, a schema change as a schema-design
 * ticket (CreateOrder NDDL, the DDL as its description) unless the profile files it as a regular data change,
 * and a data change as CreateDataCorrectOrder.
 */
export function createCall(
  draft: TicketDraft,
  target: ResolvedTarget,
  relatedUserIds: readonly number[],
  schemaChangeAs: 'NDDL' | 'DATA_CORRECT',
): { operation: CreateOperation; params: Params } {
  const comment = commentOf(draft);
  const reason = draft.reason.trim();
  const classify = typeof draft.backendFields.classify === 'string' ? draft.backendFields.classify : reason;
  const related = relatedUserIds.length > 0 ? relatedUserIds.join(',') : undefined;
  if (draft.kind === 'DATA_EXPORT') {
    const estimated = draft.estimatedRows;
    return {
      operation: 'CreateOrder',
      params: {
        Comment: comment,
        PluginType: 'DATA_EXPORT',
        RelatedUserList: related,
        PluginParam: {
          classify,
          dbId: target.dbId,
          exeSQL: draft.sql,
          logic: target.logic,
          ignoreAffectRows: estimated === undefined,
          affectRows: estimated ?? 0,
          ignoreAffectRowsReason: estimated === undefined ? 'The row count was not estimated.' : '',
        },
      },
    };
  }
  if (draft.kind === 'SCHEMA_CHANGE' && schemaChangeAs === 'NDDL') {
    return {
      operation: 'CreateOrder',
      params: {
        Comment: comment,
        PluginType: 'NDDL',
        RelatedUserList: related,
        // The DDL alone: the reason is in the Comment, and the description is where DMS shows the change.
        PluginParam: { title: draft.title.trim(), description: draft.sql, dbId: target.dbId, logic: target.logic, relatedIds: [...relatedUserIds] },
      },
    };
  }
  return {
    operation: 'CreateDataCorrectOrder',
    params: {
      Comment: comment,
      RelatedUserList: relatedUserIds.length > 0 ? [...relatedUserIds] : undefined,
      Param: {
        DbItemList: [{ DbId: target.dbId, Logic: target.logic }],
        SqlType: 'TEXT',
        ExecSQL: draft.sql,
        EstimateAffectRows: draft.estimatedRows ?? 0,
        Classify: classify,
        ExecMode: 'COMMITOR',
      },
    },
  };
}

/**
 * Ticket ids from any of the create responses' shapes: `[id]`, `{OrderIds:[id]}`, `{CreateOrderResult:[id]}`, and a
 * single id where a list is documented (`{OrderIds: "12345"}`, as the API document's own sample shows).
 */
export function createdOrderIds(response: { CreateOrderResult?: unknown }): string[] {
  const result = response.CreateOrderResult;
  const inner = result && typeof result === 'object' && !Array.isArray(result) ? ((result as { OrderIds?: unknown }).OrderIds ?? (result as { CreateOrderResult?: unknown }).CreateOrderResult) : result;
  const list = Array.isArray(inner) ? inner : [inner];
  return list.filter((id) => (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) || (typeof id === 'string' && /^\d+$/.test(id.trim()))).map((id) => String(id).trim());
}

/**
 * The create call with what was staged in OSS: the SQL as an attachment (`SqlType` ATTACHMENT, `AttachmentName`,
 * no `ExecSQL`) and the draft's file as the ticket's `AttachmentKey`.
 */
export function withStagedFiles(params: Params, staged: { sql?: string; attachment?: string }): Params {
  let result = params;
  if (staged.sql) {
    const { ExecSQL: _inline, ...param } = params.Param as Record<string, unknown>;
    result = { ...result, Param: { ...param, SqlType: 'ATTACHMENT', AttachmentName: staged.sql } };
  }
  return staged.attachment ? { ...result, AttachmentKey: staged.attachment } : result;
}
