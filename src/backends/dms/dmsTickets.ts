import type { ApprovalStep, PrecheckResult, TicketAction, TicketEvent, TicketSummary, UserRef } from '../../core/backend/backend';
import type { TicketState } from '../../core/model/ticketStatus';
import { splitComment } from './dmsDraft';
import type { DmsApprovalDetail, DmsOrder, DmsWorkflowNode } from './dmsResponses';
import { idText, isoTime, listOf } from './dmsResponses';
import { kindOfPlugin, orderStatus, precheckFailed } from './dmsStatus';

/** Who the caller is in DMS (their DMS user id), when known. */
export interface Viewer {
  userId?: string;
}

export function webUrl(template: string | undefined, id: string): string | undefined {
  return template?.replace(/\{id\}/g, encodeURIComponent(id));
}

/** The actions DMS offers on a ticket in this state, to this user. */
export function actionsFor(state: TicketState, pluginType: string | undefined, mine: boolean | undefined, needsYou: boolean): TicketAction[] {
  const kind = kindOfPlugin(pluginType);
  const actions: TicketAction[] = [];
  if (state === 'pending_approval' && needsYou) actions.push('approve', 'reject', 'transfer');
  if (state === 'approved' && mine !== false && (kind === 'DATA_EXPORT' || kind === 'DATA_CHANGE')) actions.push('execute');
  if ((state === 'prechecking' || state === 'pending_approval' || state === 'approved' || state === 'unknown') && mine !== false) actions.push('cancel');
  return actions;
}

export function toSummary(order: DmsOrder, viewer: Viewer, options: { awaitingMe?: boolean; consoleUrl?: string; handlers?: string[] }): TicketSummary {
  const id = idText(order.OrderId) ?? '?';
  const status = orderStatus(order.StatusCode ?? 'unknown');
  const committer = idText(order.CommitterId);
  const mine = viewer.userId === undefined || committer === undefined ? undefined : viewer.userId === committer;
  const handlerIsMe = viewer.userId !== undefined && (options.handlers ?? []).includes(viewer.userId);
  const needsYou = status.state === 'pending_approval' && (options.awaitingMe === true || handlerIsMe);
  return {
    id,
    title: splitComment(order.Comment).title,
    kind: kindOfPlugin(order.PluginType),
    status,
    submitter: committer || order.Committer ? { id: committer ?? order.Committer!, name: order.Committer ?? committer! } : undefined,
    createdAt: isoTime(order.CreateTime),
    updatedAt: isoTime(order.LastModifyTime ?? order.CreateTime),
    needsYou,
    actions: actionsFor(status.state, order.PluginType, mine, needsYou),
    webUrl: webUrl(options.consoleUrl, id),
  };
}

/**
 * A ticket the user's draft filed, as the calls of the submit left it (no read-back): the create's own fields, the
 * status the last call implied, and failed with the precheck's status when that is why it went no further.
 */
export function filedSummary(order: DmsOrder, failedPrecheck: string | undefined, consoleUrl: string | undefined): TicketSummary {
  const summary = toSummary(order, {}, { consoleUrl });
  if (failedPrecheck === undefined) return summary;
  // A failed precheck leaves the ticket open in DMS: it can still be closed.
  return { ...summary, status: precheckFailed(summary.status, failedPrecheck), actions: summary.actions.filter((action) => action === 'cancel') };
}

const nodeStates: Record<string, ApprovalStep['state']> = {
  approved: 'approved',
  reject: 'rejected',
  cancel: 'skipped',
  auditing: 'current',
  start: 'approved',
  error: 'rejected',
};

/** The approval chain: one step per workflow node, with who acted, when, and their comment. */
export function approvalSteps(detail: DmsApprovalDetail | undefined, names: ReadonlyMap<string, string>): ApprovalStep[] {
  return listOf<DmsWorkflowNode>(detail?.WorkflowNodes, 'WorkflowNode').map((node) => {
    const code = (node.WorkflowInsCode ?? '').toLowerCase();
    const operator = idText(node.OperatorId);
    const approvers = listOf<string | number>(node.AuditUserIdList, 'AuditUserIds').map((id) => person(String(id), names));
    return {
      name: node.NodeName ?? 'approval',
      state: nodeStates[code] ?? (node.OperateTime ? 'approved' : 'waiting'),
      approvers,
      actedBy: operator && operator !== '0' && node.OperateTime ? person(operator, names) : undefined,
      at: node.OperateTime ? isoTime(node.OperateTime) : undefined,
      comment: node.OperateComment || undefined,
    };
  });
}

/** The names the approval detail gives its current handlers, by user id. */
export function handlerNames(detail: DmsApprovalDetail | undefined): Array<[string, string]> {
  return listOf<{ Id?: number | string; NickName?: string }>(detail?.CurrentHandlers, 'CurrentHandler').flatMap((h) => {
    const id = idText(h.Id);
    return id && h.NickName ? [[id, h.NickName] as [string, string]] : [];
  });
}

export function currentHandlers(detail: DmsApprovalDetail | undefined): string[] {
  return listOf<{ Id?: number | string }>(detail?.CurrentHandlers, 'CurrentHandler')
    .map((h) => idText(h.Id))
    .filter((id): id is string => id !== undefined);
}

export function history(order: DmsOrder, steps: ApprovalStep[]): TicketEvent[] {
  const events: TicketEvent[] = [];
  if (order.CreateTime) events.push({ at: isoTime(order.CreateTime), actor: { id: idText(order.CommitterId) ?? '', name: order.Committer ?? idText(order.CommitterId) ?? '' }, action: 'submitted' });
  for (const step of steps) {
    if (!step.at || !step.actedBy) continue;
    const verb = step.state === 'rejected' ? 'rejected' : step.state === 'skipped' ? 'cancelled' : 'approved';
    events.push({ at: step.at, actor: step.actedBy, action: `${verb} (${step.name})`, comment: step.comment });
  }
  return events.sort((a, b) => a.at.localeCompare(b.at));
}

function person(id: string, names: ReadonlyMap<string, string>): UserRef {
  return { id, name: names.get(id) ?? id };
}

/** Prechecks of a data-change ticket: one item per check step. */
export function correctPrecheck(steps: Array<{ CheckStep?: string; CheckStatus?: string; UserTip?: string }>, status: string | undefined): PrecheckResult | undefined {
  if (steps.length === 0 && !status) return undefined;
  const items = steps.map((step) => {
    const s = (step.CheckStatus ?? '').toUpperCase();
    return { check: step.CheckStep ?? 'check', status: s === 'FAIL' ? ('failed' as const) : s === 'SUCCESS' ? ('passed' as const) : ('warning' as const), message: step.UserTip || s.toLowerCase() || 'waiting' };
  });
  const failed = items.some((i) => i.status === 'failed') || /fail/i.test(status ?? '');
  return { passed: !failed && !/^(new|precheck)$/i.test(status ?? ''), items };
}

/** The DMS user ids an approval chain names (operators and approvers). */
export function userIdsOf(detail: DmsApprovalDetail | undefined): string[] {
  const ids = new Set<string>();
  for (const node of listOf<DmsWorkflowNode>(detail?.WorkflowNodes, 'WorkflowNode')) {
    const operator = idText(node.OperatorId);
    if (operator && operator !== '0') ids.add(operator);
    for (const id of listOf<string | number>(node.AuditUserIdList, 'AuditUserIds')) ids.add(String(id));
  }
  return [...ids];
}
