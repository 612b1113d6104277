import * as vscode from 'vscode';
import { localProfile, type ProfileConfig } from '../../backends/profiles';
import { backendModule } from '../../backends/registry';
import type { BackendCapabilities, TicketSummary } from '../../core/backend/backend';
import type { OptionalOperation } from '../../core/backend/optionalOperations';
import { isFinalState, type TicketState, TicketState as TicketStates, statusLabel, ticketStateLabels } from '../../core/model/ticketStatus';
import { CommandIds, ViewIds } from '../commands/commandIds';
import type { Listing, TicketsModel } from './ticketsModel';
import { log } from '../shared/log';
import { backendLabel } from '../profiles/profileForm';
import type { DraftSource, ListedDraft } from '../drafts/draftList';

/** A draft not yet submitted; `unconfigured` when its header names a profile that is not configured. */
export type DraftNode = { type: 'draft'; profile: ProfileConfig; draft: ListedDraft; unconfigured: boolean };

export type TreeNode =
  /** `drafts`: its unsubmitted drafts, as the draw that listed the profiles read them. */
  | { type: 'profile'; profile: ProfileConfig; drafts: DraftNode[] }
  | { type: 'drafts'; profile: ProfileConfig; drafts: DraftNode[] }
  | DraftNode
  | { type: 'group'; profile: ProfileConfig; state: TicketState; tickets: TicketSummary[]; capabilities?: BackendCapabilities; operations?: OptionalOperation[] }
  | { type: 'ticket'; profile: ProfileConfig; ticket: TicketSummary; capabilities?: BackendCapabilities; operations?: OptionalOperation[] }
  /** The next page of a profile's tickets; `load` fetches it into the tree this node belongs to. */
  | { type: 'more'; profile: ProfileConfig; loaded: number; total?: number; load: () => Promise<void> }
  | { type: 'error'; profile?: ProfileConfig; message: string };

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

/**
 * Whether a ticket can be re-submitted as a new draft: it is finished, and of a kind its backend creates (a kind
 * the backend does not know cannot be drafted again through it).
 */
export function canRedraft(ticket: TicketSummary, capabilities: Pick<BackendCapabilities, 'kinds'> | undefined): boolean {
  return isFinalState(ticket.status.state) && ticket.kind !== null && (capabilities?.kinds.includes(ticket.kind) ?? false);
}

/** A ticket's web page when it is an http(s) address; any other scheme is never opened. */
export function webPage(ticket: TicketSummary): string | undefined {
  return ticket.webUrl && /^https?:\/\/[^/]/i.test(ticket.webUrl) ? ticket.webUrl : undefined;
}

/**
 * Tags for menus' `when` clauses: `ticket;status:succeeded;kind:DATA_EXPORT;can:comment;can:redraft;web;has:attachments`.
 * The `can:` tags are the ticket's actions, and `can:redraft` where it can be re-submitted; `web` when it has a web
 * page; `has:` the operations only some backends have that its backend has (`operationsOf`).
 */
export function ticketContextValue(ticket: TicketSummary, capabilities?: Pick<BackendCapabilities, 'kinds'>, operations: readonly OptionalOperation[] = []): string {
  return [
    'ticket',
    `status:${ticket.status.state}`,
    `kind:${ticket.kind ?? 'other'}`,
    ...ticket.actions.map((action) => `can:${action}`),
    ...(canRedraft(ticket, capabilities) ? ['can:redraft'] : []),
    ...(webPage(ticket) ? ['web'] : []),
    ...operations.map((operation) => `has:${operation}`),
  ].join(';');
}

/**
 * Tags for menus' `when` clauses: `profile;backend:dms;editable;removable` — `editable` where the backend has a form,
 * `connections` where it runs tickets on the configured databases, `removable` for all but the built-in Local profile.
 */
export function profileContextValue(profile: ProfileConfig): string {
  const module = backendModule(profile.backend);
  return [
    'profile',
    `backend:${profile.backend}`,
    ...(module ? ['editable'] : []),
    ...(module?.usesConnections ? ['connections'] : []),
    ...(profile.name === localProfile.name ? [] : ['removable']),
  ].join(';');
}

let relativeFormat: Intl.RelativeTimeFormat | undefined;
/** Formatted ages by unit and count: a long list has thousands of items but few distinct ages. */
const formattedAges = new Map<string, string>();

/** "5 minutes ago", in the user's language; `at` an ISO time or milliseconds since the epoch. */
export function relativeTime(at: string | number, now = Date.now()): string {
  const seconds = Math.round(((typeof at === 'number' ? at : Date.parse(at)) - now) / 1000);
  let [count, unit]: [number, Intl.RelativeTimeFormatUnit] = [0, 'minute'];
  for (const [name, size] of [['day', 86_400], ['hour', 3_600], ['minute', 60]] as const) {
    if (Math.abs(seconds) >= size) {
      [count, unit] = [Math.round(seconds / size), name];
      break;
    }
  }
  const key = `${count} ${unit}`;
  let age = formattedAges.get(key);
  if (age === undefined) {
    // One formatter for every item: creating one is slow.
    relativeFormat ??= new Intl.RelativeTimeFormat(vscode.env.language, { numeric: 'auto' });
    age = relativeFormat.format(count, unit);
    if (formattedAges.size >= 10_000) formattedAges.clear();
    formattedAges.set(key, age);
  }
  return age;
}

/** A profile's drafts among `drafts`; the Local profile's also hold those naming a profile not `configured`. */
function draftsOf(profile: ProfileConfig, drafts: readonly ListedDraft[], configured: ReadonlySet<string>): DraftNode[] {
  return drafts.flatMap((draft): DraftNode[] => {
    const unconfigured = !configured.has(draft.profile);
    const here = draft.profile === profile.name || (unconfigured && profile.name === localProfile.name);
    return here ? [{ type: 'draft', profile, draft, unconfigured }] : [];
  });
}

/**
 * The Tickets view: profiles → their unsubmitted drafts and status groups → tickets, then "Load More…" while a
 * profile has more pages. A refresh lists every profile's first page again; with no tickets and no drafts anywhere
 * the view is empty, so its welcome shows. A draft whose header names a profile that is not configured is listed
 * under the Local profile, marked, since it cannot be submitted as it is.
 */
export class TicketsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: TicketsModel,
    private readonly drafts: DraftSource,
  ) {
    this.subscriptions = [
      model.onDidReset(() => this.changed.fire(undefined)),
      // A load is what the tree is showing already; a ticket seen fresher elsewhere is not, until it is drawn again.
      model.onDidChange(({ source }) => source === 'observed' && this.changed.fire(undefined)),
      drafts.onDidChange(() => this.changed.fire(undefined)),
    ];
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.roots();
    if (node.type === 'profile') return this.groups(node.profile, node.drafts);
    if (node.type === 'drafts') return node.drafts;
    if (node.type === 'group') return node.tickets.map((ticket) => ({ type: 'ticket', profile: node.profile, ticket, capabilities: node.capabilities, operations: node.operations }));
    return [];
  }

  private async roots(): Promise<TreeNode[]> {
    let profiles: ProfileConfig[];
    let listed: Array<PromiseSettledResult<Listing>>;
    let drafts: ListedDraft[];
    try {
      profiles = this.model.profiles();
      [listed, drafts] = await Promise.all([this.model.load(), this.drafts.list()]);
    } catch (error) {
      return [errorNode(error)];
    }
    const anything = drafts.length > 0 || listed.some((result) => result.status === 'rejected' || result.value.tickets.length > 0);
    if (!anything) return [];
    // The drafts are read once per draw and shared out here, not read again for each profile.
    const configured = new Set(profiles.map((p) => p.name));
    return profiles.map((profile) => ({ type: 'profile', profile, drafts: draftsOf(profile, drafts, configured) }));
  }

  private async groups(profile: ProfileConfig, drafts: DraftNode[]): Promise<TreeNode[]> {
    const draftGroup: TreeNode[] = drafts.length > 0 ? [{ type: 'drafts', profile, drafts }] : [];
    let listing: Listing;
    try {
      listing = await this.model.listing(profile);
    } catch (error) {
      return [...draftGroup, errorNode(error, profile)];
    }
    const { tickets, capabilities, operations } = listing;
    const groups: TreeNode[] = TicketStates.options
      .map((state) => ({ type: 'group' as const, profile, state, tickets: tickets.filter((t) => t.status.state === state), capabilities, operations }))
      .filter((group) => group.tickets.length > 0);
    if (!listing.nextCursor) return [...draftGroup, ...groups];
    return [...draftGroup, ...groups, { type: 'more', profile, loaded: tickets.length, total: listing.total, load: () => this.model.loadMore(profile) }];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'profile': {
        const item = new vscode.TreeItem(node.profile.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `profile:${node.profile.name}`;
        item.description = backendLabel(node.profile);
        item.iconPath = new vscode.ThemeIcon(backendModule(node.profile.backend)?.icon ?? 'cloud');
        item.contextValue = profileContextValue(node.profile);
        return item;
      }
      case 'drafts': {
        const item = new vscode.TreeItem(vscode.l10n.t('Drafts'), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `drafts:${node.profile.name}`;
        item.description = String(node.drafts.length);
        item.iconPath = icon('draft');
        item.tooltip = vscode.l10n.t('Drafts not yet submitted: click one to open it, submit it from its editor.');
        item.contextValue = 'drafts';
        return item;
      }
      case 'draft': {
        const { draft } = node;
        const item = new vscode.TreeItem(draft.title);
        item.id = `draft:${draft.id}`;
        const age = relativeTime(draft.savedAt);
        item.description = node.unconfigured ? vscode.l10n.t('{0} · profile "{1}" is not configured', age, draft.profile) : age;
        item.iconPath = node.unconfigured ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : icon('draft');
        item.contextValue = 'draft';
        item.command = { command: CommandIds.openDraft, title: vscode.l10n.t('Open Draft'), arguments: [node] };
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
        item.contextValue = ticketContextValue(ticket, node.capabilities, node.operations);
        item.command = { command: CommandIds.openDetails, title: vscode.l10n.t('Open Ticket Details'), arguments: [node] };
        return item;
      }
      case 'more': {
        const item = new vscode.TreeItem(vscode.l10n.t('Load More…'));
        item.id = `more:${node.profile.name}`;
        item.description =
          node.total === undefined ? vscode.l10n.t('{0} loaded', node.loaded) : vscode.l10n.t('{0} of {1} loaded', node.loaded, node.total);
        item.iconPath = new vscode.ThemeIcon('more');
        item.contextValue = 'more';
        item.tooltip = vscode.l10n.t('List the next {0} tickets of {1}', this.model.pageSize, node.profile.name);
        item.command = { command: CommandIds.loadMore, title: vscode.l10n.t('Load More…'), arguments: [node] };
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

  /** Tooltips are built when one is about to show (a hover), not for every item of a long list on each draw. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.type === 'ticket') item.tooltip = tooltip(node.ticket);
    else if (node.type === 'draft') item.tooltip = draftTooltip(node);
    return item;
  }

  dispose(): void {
    this.subscriptions.forEach((subscription) => subscription.dispose());
    this.changed.dispose();
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
    [vscode.l10n.t('Approver'), ticket.approver?.name],
    [vscode.l10n.t('Last change'), new Date(ticket.updatedAt).toLocaleString(vscode.env.language)],
  ];
  for (const [label, value] of fields) {
    if (value) md.appendMarkdown(`  \n**${label}:** `).appendText(value);
  }
  if (ticket.sqlExcerpt) {
    // A fence longer than any run of backticks in the SQL, so the SQL cannot close it and become Markdown.
    const fence = '`'.repeat(Math.max(3, ...(ticket.sqlExcerpt.match(/`+/g) ?? []).map((run) => run.length + 1)));
    md.appendMarkdown(`\n\n${fence}sql\n${ticket.sqlExcerpt}\n${fence}\n`);
  }
  return md;
}

/** A draft's header fields, escaped (a draft can be pasted from anywhere). */
function draftTooltip({ draft, unconfigured }: DraftNode): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown('**').appendText(draft.title).appendMarkdown('**');
  const fields: Array<[string, string]> = [
    [vscode.l10n.t('Kind'), draft.kind],
    [vscode.l10n.t('Database'), draft.database],
    [vscode.l10n.t('Profile'), draft.profile],
    [vscode.l10n.t('Last saved'), new Date(draft.savedAt).toLocaleString(vscode.env.language)],
  ];
  for (const [label, value] of fields) {
    if (value) md.appendMarkdown(`  \n**${label}:** `).appendText(value);
  }
  if (unconfigured) {
    md.appendMarkdown('\n\n$(warning) ').appendText(vscode.l10n.t('No profile "{0}" is configured, so the draft cannot be submitted as it is: change its Profile line to a configured profile, or add the profile.', draft.profile));
  }
  return md;
}

/** The Tickets view over the model and the stored drafts, kept current by live status. */
export function createTicketsView(context: vscode.ExtensionContext, model: TicketsModel, drafts: DraftSource): vscode.TreeView<TreeNode> {
  const provider = new TicketsTreeProvider(model, drafts);
  const view = vscode.window.createTreeView(ViewIds.tickets, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(view, provider);
  return view;
}
