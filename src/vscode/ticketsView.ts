import * as vscode from 'vscode';
import { localProfile, type ProfileConfig } from '../backends/profiles';
import type { TicketSummary } from '../core/backend/backend';
import { type TicketState, TicketState as TicketStates, statusLabel, ticketStateLabels } from '../core/model/ticketStatus';
import type { Backends } from './backends';
import { CommandIds, ViewIds } from './commandIds';
import { LiveStatus } from './liveStatus';
import { log } from './log';

const pageSize = 100;

export type TreeNode =
  | { type: 'profile'; profile: ProfileConfig }
  | { type: 'group'; profile: ProfileConfig; state: TicketState; tickets: TicketSummary[] }
  | { type: 'ticket'; profile: ProfileConfig; ticket: TicketSummary }
  | { type: 'error'; profile?: ProfileConfig; message: string };

export const backendNames: Record<ProfileConfig['backend'], string> = {
  local: 'Local workflow',
  dms: 'Alibaba Cloud DMS',
  huawei: 'Huawei Cloud OSM',
  zstack: 'ZStack',
};

/** How each state looks: a codicon in a theme color (the details panel shows the same). */
export const stateIcons: Record<TicketState, [string, string?]> = {
  draft: ['edit'],
  prechecking: ['loading~spin', 'charts.blue'],
  pending_approval: ['clock', 'charts.yellow'],
  needs_you: ['bell-dot', 'charts.orange'],
  approved: ['check', 'charts.blue'],
  executing: ['sync~spin', 'charts.blue'],
  succeeded: ['pass-filled', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  rejected: ['circle-slash', 'errorForeground'],
  cancelled: ['circle-outline', 'disabledForeground'],
  unknown: ['question', 'charts.purple'],
};

function icon(state: TicketState): vscode.ThemeIcon {
  const [id, color] = stateIcons[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** Tags for menus' `when` clauses: `ticket;status:approved;kind:DATA_EXPORT;can:execute;can:comment`. */
export function ticketContextValue(ticket: TicketSummary): string {
  return ['ticket', `status:${ticket.status.state}`, `kind:${ticket.kind ?? 'other'}`, ...ticket.actions.map((action) => `can:${action}`)].join(';');
}

/** Tags for menus' `when` clauses: `profile;backend:dms;removable` (the built-in Local profile is not removable). */
export function profileContextValue(profile: ProfileConfig): string {
  return ['profile', `backend:${profile.backend}`, ...(profile.name === localProfile.name ? [] : ['removable'])].join(';');
}

/** "5 minutes ago", in the user's language. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const format = new Intl.RelativeTimeFormat(vscode.env.language, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'minute');
}

/**
 * The Tickets view: profiles → status groups → tickets. Each refresh lists every profile's first page once;
 * with no tickets anywhere the view is empty, so its welcome shows.
 */
/** One profile's tickets as a load of the tree saw them. */
export interface LoadedProfile {
  profile: ProfileConfig;
  tickets: TicketSummary[];
}

export class TicketsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = new vscode.EventEmitter<LoadedProfile[]>();
  /** Fires after each load of the tree with the profiles whose tickets could be listed. */
  readonly onDidLoad = this.loaded.event;
  private pages = new Map<string, Promise<TicketSummary[]>>();

  constructor(private readonly backends: Backends) {}

  refresh(): void {
    this.pages.clear();
    this.changed.fire(undefined);
  }

  private tickets(profile: ProfileConfig): Promise<TicketSummary[]> {
    let page = this.pages.get(profile.name);
    if (!page) {
      page = this.backends.get(profile).then((backend) => backend.list({ scope: 'all' }, { size: pageSize })).then((p) => p.items);
      this.pages.set(profile.name, page);
    }
    return page;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (node.type === 'profile') return this.groups(node.profile);
    if (node.type === 'group') return node.tickets.map((ticket) => ({ type: 'ticket', profile: node.profile, ticket }));
    return [];
  }

  private async roots(): Promise<TreeNode[]> {
    let profiles: ProfileConfig[];
    try {
      profiles = this.backends.profiles();
    } catch (error) {
      return [errorNode(error)];
    }
    const listed = await Promise.allSettled(profiles.map((profile) => this.tickets(profile)));
    this.loaded.fire(
      listed.flatMap((result, i) => (result.status === 'fulfilled' ? [{ profile: profiles[i], tickets: result.value }] : [])),
    );
    const anything = listed.some((result) => result.status === 'rejected' || result.value.length > 0);
    return anything ? profiles.map((profile) => ({ type: 'profile', profile })) : [];
  }

  private async groups(profile: ProfileConfig): Promise<TreeNode[]> {
    let tickets: TicketSummary[];
    try {
      tickets = await this.tickets(profile);
    } catch (error) {
      return [errorNode(error, profile)];
    }
    return TicketStates.options
      .map((state) => ({ type: 'group' as const, profile, state, tickets: tickets.filter((t) => t.status.state === state) }))
      .filter((group) => group.tickets.length > 0);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'profile': {
        const item = new vscode.TreeItem(node.profile.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `profile:${node.profile.name}`;
        item.description = vscode.l10n.t(backendNames[node.profile.backend]);
        item.iconPath = new vscode.ThemeIcon(node.profile.backend === 'local' ? 'database' : 'cloud');
        item.contextValue = profileContextValue(node.profile);
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(vscode.l10n.t(ticketStateLabels[node.state]), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `group:${node.profile.name}:${node.state}`;
        item.description = String(node.tickets.length);
        item.iconPath = icon(node.state);
        item.contextValue = `group;status:${node.state}`;
        return item;
      }
      case 'ticket': {
        const { ticket } = node;
        const item = new vscode.TreeItem(`#${ticket.id} ${ticket.title}`);
        item.id = `ticket:${node.profile.name}:${ticket.id}`;
        item.description = `${vscode.l10n.t(statusLabel(ticket.status))} · ${relativeTime(ticket.updatedAt)}`;
        item.iconPath = icon(ticket.status.state);
        item.contextValue = ticketContextValue(ticket);
        item.tooltip = tooltip(ticket);
        item.command = { command: CommandIds.openDetails, title: vscode.l10n.t('Open Ticket Details'), arguments: [node] };
        return item;
      }
      case 'error': {
        const item = new vscode.TreeItem(node.message);
        item.id = `error:${node.profile?.name ?? ''}`;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.tooltip = vscode.l10n.t('Click to open the log');
        item.command = { command: CommandIds.showLog, title: vscode.l10n.t('Show Log') };
        return item;
      }
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.loaded.dispose();
  }
}

function errorNode(error: unknown, profile?: ProfileConfig): TreeNode {
  const message = error instanceof Error ? error.message : String(error);
  log.error(`loading tickets${profile ? ` of ${profile.name}` : ''}: ${message}`);
  return { type: 'error', profile, message: vscode.l10n.t('Could not load tickets: {0}', message) };
}

/** Labels are Markdown; every value is escaped, since ticket text comes from other people. */
function tooltip(ticket: TicketSummary): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**#${ticket.id}** `).appendText(ticket.title);
  const native = ticket.status.native === ticket.status.state ? '' : ` (${ticket.status.native})`;
  const fields: Array<[string, string | undefined]> = [
    [vscode.l10n.t('Status'), `${vscode.l10n.t(statusLabel(ticket.status))}${native}`],
    [vscode.l10n.t('Kind'), ticket.kind ?? undefined],
    [vscode.l10n.t('Database'), ticket.database],
    [vscode.l10n.t('Submitter'), ticket.submitter?.name],
    [vscode.l10n.t('Last change'), new Date(ticket.updatedAt).toLocaleString(vscode.env.language)],
  ];
  for (const [label, value] of fields) {
    if (value) md.appendMarkdown(`  \n**${label}:** `).appendText(value);
  }
  return md;
}

export function createTicketsView(context: vscode.ExtensionContext, backends: Backends): TicketsTreeProvider {
  const provider = new TicketsTreeProvider(backends);
  const view = vscode.window.createTreeView(ViewIds.tickets, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(view, provider, new LiveStatus(provider, view), backends.onDidChange(() => provider.refresh()));
  return provider;
}
