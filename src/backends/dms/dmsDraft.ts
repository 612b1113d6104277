import type { TicketDraft } from '../../core/model/ticketDraft';
import type { Params } from './operations';

/** The mark every ticket created from a draft carries in its Comment, so a retried submit can find it. */
export function draftMarker(draftId: string): string {
  return `[db-tickets draft ${draftId}]`;
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
}

export type CreateOperation = 'CreateOrder' | 'CreateDataCorrectOrder';

/**
 * The create call for a draft: a data export as CreateOrder DATA_EXPORT, a schema change as a schema-design
 * ticket (CreateOrder NDDL, the DDL in its description) unless the profile files it as a regular data change,
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
        PluginParam: { title: draft.title.trim(), description: `${reason}\n\n${draft.sql}`, dbId: target.dbId, logic: target.logic, relatedIds: [...relatedUserIds] },
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

/** Ticket ids from any of the create responses' shapes: `[id]`, `{OrderIds:[id]}`, `{CreateOrderResult:[id]}`. */
export function createdOrderIds(response: { CreateOrderResult?: unknown }): string[] {
  const result = response.CreateOrderResult;
  const list = Array.isArray(result)
    ? result
    : result && typeof result === 'object'
      ? ((result as { OrderIds?: unknown; CreateOrderResult?: unknown }).OrderIds ?? (result as { CreateOrderResult?: unknown }).CreateOrderResult)
      : undefined;
  return Array.isArray(list) ? list.map((id) => String(id)) : [];
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
