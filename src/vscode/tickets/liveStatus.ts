import * as vscode from 'vscode';
import type { TicketSummary } from '../../core/backend/backend';
import { isFinalState, statusLabel, type TicketState } from '../../core/model/ticketStatus';
import { nextPollDelay } from '../../core/tracking/pollingPolicy';
import { newReplies, type Seen, type Transition, seenKey, transitions } from '../../core/tracking/transitions';
import { CommandIds, ViewIds } from '../commands/commandIds';
import type { TreeNode } from './ticketsTree';
import type { LoadedProfile, TicketsModel } from './ticketsModel';

/**
 * Keeps the Tickets view current: refreshes it in the background — soon while a ticket is moving, rarely when
 * nothing is open, never while the view is hidden or the window is in the background — and tells the user when
 * a ticket they have already seen changes state. The badge counts tickets that need them; the status bar shows
 * those and the ones in flight.
 */
export class LiveStatus implements vscode.Disposable {
  private seen: Seen = new Map();
  /** The unread replies each ticket had at the last look. */
  private seenReplies: ReadonlyMap<string, number> = new Map();
  /**
   * The user's own actions: a ticket being acted on ('acting'), or the state an action left it in. The user knows
   * of these moves, so they are not news; a look that shows the state the action left is caught up with it.
   */
  private readonly ownDoing = new Map<string, TicketState | 'acting'>();
  private quietLooks = 0;
  private timer: NodeJS.Timeout | undefined;
  private due = false;
  private readonly statusBar = vscode.window.createStatusBarItem('dbTickets.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly tickets: TicketsModel,
    private readonly view: vscode.TreeView<TreeNode>,
  ) {
    this.statusBar.name = 'DB Tickets';
    this.statusBar.command = `${ViewIds.tickets}.focus`;
    this.subscriptions = [
      tickets.onDidLoad((loaded) => this.onLoad(loaded)),
      tickets.onDidChange(({ source }) => source === 'observed' && this.show(tickets.all().map(({ ticket }) => ticket))),
      tickets.onDidAct(({ profile, id, state }) => {
        if (state === null) this.ownDoing.delete(seenKey(profile, id));
        else this.ownDoing.set(seenKey(profile, id), state ?? 'acting');
      }),
      view.onDidChangeVisibility(() => this.catchUp()),
      vscode.window.onDidChangeWindowState(() => this.catchUp()),
    ];
  }

  private onLoad(loaded: LoadedProfile[]): void {
    const moved = loaded.flatMap(({ profile, tickets }) =>
      transitions(this.seen, profile.name, tickets)
        .filter(({ ticket }) => !this.isOwnDoing(seenKey(profile.name, ticket.id), ticket.status.state))
        .map((t) => ({ ...t, profile })),
    );
    for (const { profile, tickets } of loaded) {
      for (const ticket of tickets) {
        const key = seenKey(profile.name, ticket.id);
        if (this.ownDoing.get(key) === ticket.status.state) this.ownDoing.delete(key);
      }
    }
    const replied = loaded.flatMap(({ profile, tickets }) => newReplies(this.seenReplies, profile.name, tickets).map((ticket) => ({ ticket, profile })));
    this.seen = new Map(loaded.flatMap(({ profile, tickets }) => tickets.map((t) => [seenKey(profile.name, t.id), t.status.state] as const)));
    this.seenReplies = new Map(loaded.flatMap(({ profile, tickets }) => tickets.map((t) => [seenKey(profile.name, t.id), t.unreadReplies ?? 0] as const)));
    for (const { ticket, profile } of replied) void this.notifyReply(ticket, { type: 'ticket', profile, ticket });
    this.quietLooks = moved.length + replied.length > 0 ? 0 : this.quietLooks + 1;
    for (const { profile, ...transition } of moved) void this.notify(transition, { type: 'ticket', profile, ticket: transition.ticket });
    const all = loaded.flatMap(({ tickets }) => tickets);
    this.show(all);
    this.schedule(nextPollDelay(all, this.quietLooks));
  }

  private isOwnDoing(key: string, state: TicketState): boolean {
    const own = this.ownDoing.get(key);
    return own === 'acting' || own === state;
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.due = false;
    this.timer = setTimeout(() => {
      this.due = true;
      this.catchUp();
    }, delay);
  }

  /** Refreshes when a look is due and someone can see it; otherwise the look waits for the view or the window. */
  private catchUp(): void {
    if (this.due && this.view.visible && vscode.window.state.focused) {
      this.due = false;
      void this.tickets.look();
    }
  }

  private show(tickets: TicketSummary[]): void {
    const needYou = tickets.filter((t) => t.needsYou).length;
    const inFlight = tickets.filter((t) => !t.needsYou && !isFinalState(t.status.state)).length;
    this.view.badge = needYou > 0 ? { value: needYou, tooltip: vscode.l10n.t('{0} ticket(s) need you', needYou) } : undefined;
    if (needYou + inFlight === 0) {
      this.statusBar.hide();
      return;
    }
    this.statusBar.text = `$(database) ${vscode.l10n.t('{0} awaiting you · {1} in flight', needYou, inFlight)}`;
    this.statusBar.tooltip = vscode.l10n.t('DB Tickets: open the Tickets view');
    this.statusBar.show();
  }

  private async notify({ ticket }: Transition, node: TreeNode): Promise<void> {
    const open = vscode.l10n.t('Open');
    const next =
      ticket.actions.includes('execute') ? vscode.l10n.t('Execute')
      : ticket.status.state === 'succeeded' && ticket.kind === 'DATA_EXPORT' ? vscode.l10n.t('Download')
      : undefined;
    const message = vscode.l10n.t('Ticket #{0} "{1}" is now {2}', ticket.id, ticket.title, vscode.l10n.t(statusLabel(ticket.status)));
    const bad = ticket.status.state === 'failed' || ticket.status.state === 'rejected';
    const show = bad ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const choice = await show(message, ...(next ? [next, open] : [open]));
    if (choice === open) await vscode.commands.executeCommand(CommandIds.openDetails, node);
    else if (choice && choice === next) {
      await vscode.commands.executeCommand(ticket.actions.includes('execute') ? CommandIds.execute : CommandIds.download, node);
    }
  }

  /** A reply from the service's people (e.g. a support engineer) that the user has not read. */
  private async notifyReply(ticket: TicketSummary, node: TreeNode): Promise<void> {
    const open = vscode.l10n.t('Open');
    const message = vscode.l10n.t('Ticket #{0} "{1}" has {2} unread repl(y/ies)', ticket.id, ticket.title, ticket.unreadReplies ?? 0);
    if ((await vscode.window.showInformationMessage(message, open)) === open) await vscode.commands.executeCommand(CommandIds.openDetails, node);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.statusBar.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
