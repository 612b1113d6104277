import * as vscode from 'vscode';
import type { ApprovalStep, BackendCapabilities, ExecutionSummary, PrecheckResult, TicketDetail } from '../../core/backend/backend';
import { statusLabel } from '../../core/model/ticketStatus';
import { highlightSql, type SqlSpan } from '../../core/sql/highlight';
import { canRedraft, relativeTime, stateIcons, webPage } from '../tickets/ticketsTree';
import type { DetailsAction, DetailsPanelState } from './detailsMessages';

/** A codicon and the theme colour it is drawn in, as a CSS variable (`--vscode-charts-blue`). */
export interface Icon {
  name: string;
  spin?: boolean;
  color?: string;
}

export interface Fact {
  label: string;
  value: string;
  /** Shown on hover, e.g. the absolute time behind "5 minutes ago". */
  title?: string;
}

export interface ActionButton {
  action: DetailsAction;
  label: string;
  icon: string;
  primary?: boolean;
}

interface Moment {
  at: string;
  atTitle: string;
}

export type Section =
  | { type: 'text'; heading: string; text: string }
  | { type: 'sql'; heading: string; spans: SqlSpan[] }
  | { type: 'checks'; heading: string; summary: string; icon: Icon; items: Array<{ icon: Icon; check: string; message: string }> }
  | { type: 'steps'; heading: string; items: Array<{ icon: Icon; name: string; state: string; people: string; comment?: string } & Partial<Moment>> }
  | { type: 'timeline'; heading: string; items: Array<{ actor: string; action: string; comment?: string } & Moment> }
  | { type: 'comments'; heading: string; empty: string; items: Array<{ author: string; text: string } & Moment> }
  | { type: 'list'; heading: string; items: string[] }
  | { type: 'execution'; heading: string; icon: Icon; facts: Fact[]; message?: string; columns: string[]; rows: Array<{ icon: Icon; cells: string[] }> };

/** Everything the webview shows, as plain JSON; the page turns every string into text nodes, never markup. */
export interface DetailsView {
  key: DetailsPanelState;
  heading: string;
  status: { label: string; icon: Icon };
  needsYou?: string;
  facts: Fact[];
  actions: ActionButton[];
  main: Section[];
  side: Section[];
}

export interface DetailsError {
  key: DetailsPanelState;
  heading: string;
  message: string;
  retry: ActionButton;
}

export function themeColor(id: string | undefined): string | undefined {
  return id ? `--vscode-${id.replace(/\./g, '-')}` : undefined;
}

function icon(codicon: string, color?: string): Icon {
  const [name, modifier] = codicon.split('~');
  return { name, spin: modifier === 'spin' || undefined, color: themeColor(color) };
}

function moment(iso: string): Moment {
  return { at: relativeTime(iso), atTitle: new Date(iso).toLocaleString(vscode.env.language) };
}

function count(n: number): string {
  return n.toLocaleString(vscode.env.language);
}

/** The actions the panel offers: the tree's for this ticket, then the ones every ticket has. */
export function offeredActions(ticket: TicketDetail, capabilities?: Pick<BackendCapabilities, 'kinds'>): ActionButton[] {
  const can = new Set(ticket.actions);
  const buttons: ActionButton[] = [];
  if (can.has('approve')) buttons.push({ action: 'approve', label: vscode.l10n.t('Approve'), icon: 'check', primary: true });
  if (can.has('execute')) buttons.push({ action: 'execute', label: vscode.l10n.t('Execute'), icon: 'play', primary: true });
  if (ticket.execution?.hasResult) buttons.push({ action: 'download', label: vscode.l10n.t('Download Result…'), icon: 'cloud-download', primary: !can.has('execute') });
  if (can.has('reject')) buttons.push({ action: 'reject', label: vscode.l10n.t('Reject…'), icon: 'close' });
  if (can.has('comment')) buttons.push({ action: 'comment', label: vscode.l10n.t('Comment…'), icon: 'comment' });
  if (can.has('transfer')) buttons.push({ action: 'transfer', label: vscode.l10n.t('Transfer…'), icon: 'person-add' });
  if (can.has('urge')) buttons.push({ action: 'urge', label: vscode.l10n.t('Urge'), icon: 'megaphone' });
  if (can.has('cancel')) buttons.push({ action: 'cancel', label: vscode.l10n.t('Cancel Ticket'), icon: 'circle-slash' });
  if (can.has('close')) buttons.push({ action: 'close', label: vscode.l10n.t('Close Ticket'), icon: 'archive' });
  if (can.has('reopen')) buttons.push({ action: 'reopen', label: vscode.l10n.t('Reopen Ticket'), icon: 'debug-restart' });
  if (can.has('delete')) buttons.push({ action: 'delete', label: vscode.l10n.t('Delete Ticket…'), icon: 'trash' });
  if (canRedraft(ticket, capabilities)) buttons.push({ action: 'redraft', label: vscode.l10n.t('Re-submit as New Draft'), icon: 'history' });
  buttons.push({ action: 'copyId', label: vscode.l10n.t('Copy Ticket ID'), icon: 'copy' });
  if (webPage(ticket)) buttons.push({ action: 'openInBrowser', label: vscode.l10n.t('Open in Browser'), icon: 'link-external' });
  buttons.push({ action: 'openAsText', label: vscode.l10n.t('Open as Text'), icon: 'file-text' });
  return buttons;
}

const checkIcons: Record<PrecheckResult['items'][number]['status'], [string, string]> = {
  passed: ['pass-filled', 'testing.iconPassed'],
  warning: ['warning', 'editorWarning.foreground'],
  failed: ['error', 'testing.iconFailed'],
};

const stepIcons: Record<ApprovalStep['state'], [string, string]> = {
  waiting: ['circle-large-outline', 'disabledForeground'],
  current: ['clock', 'charts.yellow'],
  approved: ['pass-filled', 'testing.iconPassed'],
  rejected: ['error', 'testing.iconFailed'],
  skipped: ['debug-step-over', 'disabledForeground'],
};

function stepState(state: ApprovalStep['state']): string {
  switch (state) {
    case 'waiting': return vscode.l10n.t('waiting');
    case 'current': return vscode.l10n.t('awaiting decision');
    case 'approved': return vscode.l10n.t('approved');
    case 'rejected': return vscode.l10n.t('rejected');
    case 'skipped': return vscode.l10n.t('skipped');
  }
}

type StatementStatus = NonNullable<ExecutionSummary['statements']>[number]['status'];

const statementIcons: Record<StatementStatus, [string, string]> = {
  succeeded: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  skipped: ['circle-slash', 'disabledForeground'],
  rolled_back: ['discard', 'charts.orange'],
};

function statementStatus(status: StatementStatus): string {
  switch (status) {
    case 'succeeded': return vscode.l10n.t('succeeded');
    case 'failed': return vscode.l10n.t('failed');
    case 'skipped': return vscode.l10n.t('skipped');
    case 'rolled_back': return vscode.l10n.t('rolled back');
  }
}

function checkStatus(status: PrecheckResult['items'][number]['status']): string {
  switch (status) {
    case 'passed': return vscode.l10n.t('passed');
    case 'warning': return vscode.l10n.t('warning');
    case 'failed': return vscode.l10n.t('failed');
  }
}

function precheckSection(precheck: PrecheckResult): Section {
  return {
    type: 'checks',
    heading: vscode.l10n.t('Precheck'),
    summary: precheck.passed ? vscode.l10n.t('Precheck passed') : vscode.l10n.t('Precheck failed'),
    icon: precheck.passed ? icon(...checkIcons.passed) : icon(...checkIcons.failed),
    items: precheck.items.map((item) => ({ icon: icon(...checkIcons[item.status]), check: `${item.check} · ${checkStatus(item.status)}`, message: item.message })),
  };
}

function executionSection(ticket: TicketDetail, execution: ExecutionSummary): Section {
  const facts: Fact[] = [];
  if (execution.rows !== undefined) {
    facts.push({ label: ticket.kind === 'DATA_EXPORT' ? vscode.l10n.t('Rows exported') : vscode.l10n.t('Rows affected'), value: count(execution.rows) });
  }
  if (execution.startedAt) facts.push({ label: vscode.l10n.t('Started'), value: moment(execution.startedAt).at, title: moment(execution.startedAt).atTitle });
  if (execution.finishedAt) facts.push({ label: vscode.l10n.t('Finished'), value: moment(execution.finishedAt).at, title: moment(execution.finishedAt).atTitle });
  if (execution.resultName) facts.push({ label: vscode.l10n.t('Result file'), value: execution.resultName });
  const [name, color] = stateIcons[ticket.status.state];
  return {
    type: 'execution',
    heading: vscode.l10n.t('Execution'),
    icon: icon(name, color),
    facts,
    message: execution.message,
    columns: [vscode.l10n.t('Statement'), vscode.l10n.t('Status'), vscode.l10n.t('Rows'), vscode.l10n.t('Message')],
    rows: (execution.statements ?? []).map((s) => ({
      icon: icon(...statementIcons[s.status]),
      cells: [String(s.index), statementStatus(s.status), s.rows === undefined ? '' : count(s.rows), s.message ?? ''],
    })),
  };
}

/** The panel's content for a ticket. */
export function detailsView(key: DetailsPanelState, ticket: TicketDetail, capabilities?: Pick<BackendCapabilities, 'kinds'>): DetailsView {
  const [name, color] = stateIcons[ticket.status.state];
  const native = ticket.status.native === ticket.status.state ? '' : ` (${ticket.status.native})`;
  const created = moment(ticket.createdAt);
  const updated = moment(ticket.updatedAt);
  const facts: Fact[] = [
    { label: vscode.l10n.t('Kind'), value: ticket.kind ?? vscode.l10n.t('other') },
    { label: vscode.l10n.t('Database'), value: ticket.database ?? '' },
    { label: vscode.l10n.t('Submitter'), value: ticket.submitter?.name ?? '' },
    { label: vscode.l10n.t('Created'), value: created.at, title: created.atTitle },
    { label: vscode.l10n.t('Updated'), value: updated.at, title: updated.atTitle },
    { label: vscode.l10n.t('Estimated rows'), value: ticket.estimatedRows === undefined ? '' : count(ticket.estimatedRows) },
    { label: vscode.l10n.t('Stakeholders'), value: ticket.stakeholders.map((u) => u.name).join(', ') },
    { label: vscode.l10n.t('Profile'), value: key.profile },
    { label: vscode.l10n.t('Web page'), value: ticket.webUrl ?? '' },
  ].filter((fact) => fact.value !== '');

  const main: Section[] = [];
  if (ticket.filedAs) main.push({ type: 'text', heading: vscode.l10n.t('Filed as'), text: ticket.filedAs });
  if (ticket.reason) main.push({ type: 'text', heading: vscode.l10n.t('Reason'), text: ticket.reason });
  main.push({ type: 'sql', heading: vscode.l10n.t('SQL'), spans: highlightSql(ticket.sql, ticket.dialect ?? 'generic') });
  if (ticket.execution) main.push(executionSection(ticket, ticket.execution));
  if (ticket.precheck) main.push(precheckSection(ticket.precheck));
  main.push({
    type: 'comments',
    heading: vscode.l10n.t('Comments'),
    empty: vscode.l10n.t('No comments yet.'),
    items: ticket.comments.map((c) => ({ author: c.author.name, text: c.text, ...moment(c.at) })),
  });

  const side: Section[] = [];
  if (ticket.approvals.length > 0) {
    side.push({
      type: 'steps',
      heading: vscode.l10n.t('Approval chain'),
      items: ticket.approvals.map((step) => ({
        icon: icon(...stepIcons[step.state]),
        name: step.name,
        state: stepState(step.state),
        people: step.actedBy ? step.actedBy.name : step.approvers.map((u) => u.name).join(', '),
        comment: step.comment,
        ...(step.at ? moment(step.at) : {}),
      })),
    });
  }
  if (ticket.history.length > 0) {
    side.push({
      type: 'timeline',
      heading: vscode.l10n.t('History'),
      items: ticket.history.map((e) => ({ actor: e.actor.name, action: e.action, comment: e.comment, ...moment(e.at) })),
    });
  }
  if (ticket.attachments.length > 0) {
    side.push({
      type: 'list',
      heading: vscode.l10n.t('Attachments'),
      items: ticket.attachments.map((a) => (a.size === undefined ? a.name : `${a.name} (${vscode.l10n.t('{0} bytes', count(a.size))})`)),
    });
  }

  return {
    key,
    heading: `#${ticket.id} ${ticket.title}`,
    status: { label: `${vscode.l10n.t(statusLabel(ticket.status))}${native}`, icon: icon(name, color) },
    needsYou: ticket.needsYou ? vscode.l10n.t('needs you') : undefined,
    facts,
    actions: offeredActions(ticket, capabilities),
    main,
    side,
  };
}
