import * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { BackendCapabilities, TicketDetail, TicketSummary } from '../../core/backend/backend';
import type { Backends } from '../profiles/backends';
import { CommandIds } from '../commands/commandIds';
import { log, showError } from '../shared/log';
import { ticketUri } from '../tickets/ticketDocument';
import type { TreeNode } from '../tickets/ticketsTree';
import type { LoadedProfile, TicketsChange, TicketsModel } from '../tickets/ticketsModel';
import { detailsHtml, makeNonce } from './detailsHtml';
import { type DetailsAction, DetailsPanelState, parseWebviewMessage } from './detailsMessages';
import { type DetailsError, type DetailsView, detailsView, offeredActions } from './detailsView';

export const detailsViewType = 'dbTickets.details';

/** The actions that are the tree's commands, run as the tree runs them so each has one implementation. */
const commandOf: Partial<Record<DetailsAction, string>> = {
  approve: CommandIds.approve,
  reject: CommandIds.reject,
  execute: CommandIds.execute,
  cancel: CommandIds.cancel,
  close: CommandIds.close,
  urge: CommandIds.urge,
  reopen: CommandIds.reopen,
  delete: CommandIds.deleteTicket,
  transfer: CommandIds.transfer,
  comment: CommandIds.comment,
  download: CommandIds.download,
  redraft: CommandIds.redraft,
  copyId: CommandIds.copyId,
  openInBrowser: CommandIds.openInBrowser,
};

/** What the extension posts to the page. */
export type PanelMessage = { type: 'render'; view: DetailsView } | { type: 'error'; view: DetailsError };

function keyOf(state: DetailsPanelState): string {
  return JSON.stringify([state.profile, state.id]);
}

/** One ticket's details panel: loads the ticket, renders it, and runs the actions its page asks for. */
export class DetailsPanel implements vscode.Disposable {
  private shown: TicketDetail | undefined;
  private capabilities: BackendCapabilities | undefined;
  private last: PanelMessage | undefined;
  private loads = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly key: DetailsPanelState,
    private readonly backends: Backends,
    private readonly tickets: TicketsModel,
    private readonly media: vscode.Uri,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [media] };
    panel.iconPath = { light: vscode.Uri.joinPath(media, 'ticket-light.svg'), dark: vscode.Uri.joinPath(media, 'ticket-dark.svg') };
    this.subscriptions = [panel.webview.onDidReceiveMessage((raw) => this.handleMessage(raw))];
    this.renderPage();
    void this.refresh();
  }

  /** The ticket as the panel last showed it. */
  get ticket(): TicketDetail | undefined {
    return this.shown;
  }

  /** What the page shows now: the ticket's view, or why it could not be loaded. */
  get content(): PanelMessage | undefined {
    return this.last;
  }

  /** A fresh page with a fresh nonce; the content follows by message once the page says it is ready. */
  private renderPage(): void {
    const webview = this.panel.webview;
    const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.media, ...path)).toString();
    webview.html = detailsHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      styles: [asset('codicons', 'codicon.css'), asset('details.css')],
      script: asset('details.js'),
      lang: vscode.env.language,
      loading: vscode.l10n.t('Loading ticket #{0}…', this.key.id),
    });
  }

  /** Loads the ticket again and shows it; a load that a newer one overtook is dropped. */
  async refresh(): Promise<void> {
    const load = ++this.loads;
    let message: PanelMessage;
    try {
      const profile = this.profile();
      const backend = await this.backends.get(profile);
      const ticket = await backend.get(this.key.id);
      if (load !== this.loads) return;
      this.shown = ticket;
      this.capabilities = backend.capabilities;
      this.tickets.observe(profile.name, ticket);
      this.panel.title = `#${ticket.id} ${ticket.title}`;
      message = { type: 'render', view: detailsView(this.key, ticket, backend.capabilities) };
    } catch (error) {
      if (load !== this.loads) return;
      const text = error instanceof Error ? error.message : String(error);
      log.error(`details of #${this.key.id} (${this.key.profile}): ${text}`);
      this.shown = undefined;
      message = {
        type: 'error',
        view: {
          key: this.key,
          heading: `#${this.key.id}`,
          message: vscode.l10n.t('Could not load ticket #{0}: {1}', this.key.id, text),
          retry: { action: 'refresh', label: vscode.l10n.t('Retry'), icon: 'refresh' },
        },
      };
    }
    this.last = message;
    await this.panel.webview.postMessage(message);
  }

  /** Refreshes when the tickets model learned that this ticket changed. */
  onTicketsChange({ tickets }: TicketsChange): void {
    const summary = tickets.find((t) => t.profile === this.key.profile && t.ticket.id === this.key.id)?.ticket;
    if (summary && (summary.updatedAt !== this.shown?.updatedAt || summary.status.state !== this.shown?.status.state)) void this.refresh();
  }

  /** A load that no longer lists this ticket (deleted, or moved past the pages loaded): look again while it is seen. */
  onTicketsLoad(loaded: LoadedProfile[]): void {
    const profile = loaded.find((p) => p.profile.name === this.key.profile);
    if (profile && this.panel.visible && !profile.tickets.some((t) => t.id === this.key.id)) void this.refresh();
  }

  /**
   * Handles one message from the page. Every message is validated, and an action runs only when the panel
   * offers it for the ticket as shown; anything else is refused and logged. Returns whether it was accepted.
   */
  async handleMessage(raw: unknown): Promise<boolean> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      log.warn(`details of #${this.key.id}: refused a message from the page (${parsed.reason})`);
      return false;
    }
    const message = parsed.message;
    if (message.type === 'ready') {
      if (this.last) await this.panel.webview.postMessage(this.last);
      return true;
    }
    if (message.action === 'refresh') {
      await this.refresh();
      return true;
    }
    const ticket = this.shown;
    if (!ticket || !offeredActions(ticket, this.capabilities).some((button) => button.action === message.action)) {
      log.warn(`details of #${this.key.id}: refused "${message.action}", which the ticket does not offer now`);
      return false;
    }
    try {
      await this.run(message.action, ticket);
    } catch (error) {
      await showError(error, detailsViewType);
    }
    await this.refresh();
    return true;
  }

  private async run(action: DetailsAction, ticket: TicketDetail): Promise<void> {
    const command = commandOf[action];
    if (command) {
      const summary: TicketSummary = ticket;
      const node: TreeNode = { type: 'ticket', profile: this.profile(), ticket: summary, capabilities: this.capabilities };
      await vscode.commands.executeCommand(command, node);
    } else if (action === 'openAsText') {
      const document = await vscode.workspace.openTextDocument(ticketUri(this.key.profile, ticket.id));
      await vscode.window.showTextDocument(document, { preview: true });
    }
  }

  private profile(): ProfileConfig {
    return this.backends.profile(this.key.profile);
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** The open details panels, one per ticket: opening a ticket that has one brings it to the front. */
export class DetailsPanels implements vscode.Disposable {
  private readonly panels = new Map<string, DetailsPanel>();
  private readonly media: vscode.Uri;
  private readonly subscription: vscode.Disposable;

  constructor(
    extensionUri: vscode.Uri,
    private readonly backends: Backends,
    private readonly tickets: TicketsModel,
  ) {
    this.media = vscode.Uri.joinPath(extensionUri, 'media', 'details');
    this.subscription = vscode.Disposable.from(
      tickets.onDidChange((change) => this.panels.forEach((panel) => panel.onTicketsChange(change))),
      tickets.onDidLoad((loaded) => this.panels.forEach((panel) => panel.onTicketsLoad(loaded))),
    );
  }

  open(profile: ProfileConfig, ticket: Pick<TicketSummary, 'id' | 'title'>): DetailsPanel {
    const key: DetailsPanelState = { profile: profile.name, id: ticket.id };
    const open = this.panels.get(keyOf(key));
    if (open) {
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(detailsViewType, `#${ticket.id} ${ticket.title}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableFindWidget: true,
      localResourceRoots: [this.media],
    });
    return this.adopt(panel, key);
  }

  /** The panel of a ticket, when one is open. */
  find(key: DetailsPanelState): DetailsPanel | undefined {
    return this.panels.get(keyOf(key));
  }

  /** Takes over a panel VS Code restored after a window reload, from the state its page saved. */
  revive(panel: vscode.WebviewPanel, state: unknown): void {
    const parsed = DetailsPanelState.safeParse(state);
    if (!parsed.success || this.panels.has(keyOf(parsed.data))) {
      panel.dispose();
      return;
    }
    this.adopt(panel, { profile: parsed.data.profile, id: parsed.data.id });
  }

  private adopt(panel: vscode.WebviewPanel, key: DetailsPanelState): DetailsPanel {
    const details = new DetailsPanel(panel, key, this.backends, this.tickets, this.media);
    this.panels.set(keyOf(key), details);
    panel.onDidDispose(() => {
      this.panels.delete(keyOf(key));
      details.dispose();
    });
    return details;
  }

  dispose(): void {
    this.subscription.dispose();
    [...this.panels.values()].forEach((details) => details.panel.dispose());
  }
}

/** The details panels of the extension, restored after a window reload. */
export function registerDetailsPanels(context: vscode.ExtensionContext, backends: Backends, tickets: TicketsModel): DetailsPanels {
  const panels = new DetailsPanels(context.extensionUri, backends, tickets);
  context.subscriptions.push(
    panels,
    vscode.window.registerWebviewPanelSerializer(detailsViewType, { deserializeWebviewPanel: async (panel, state) => panels.revive(panel, state) }),
  );
  return panels;
}
