import * as vscode from 'vscode';
import type { TicketsModel } from '../tickets/ticketsModel';
import { WalkthroughProgress } from './walkthroughProgress';

/**
 * The walkthrough's progress for this window: the milestones reached before are announced at once (the Welcome page
 * may be open already) and whenever an editor opens (it may be the Welcome page, starting the walkthrough service),
 * and the tickets model tells it when followed tickets succeed.
 */
export function registerWalkthroughProgress(context: vscode.ExtensionContext, tickets: TicketsModel): WalkthroughProgress {
  const progress = new WalkthroughProgress(context.globalState, (key, value) => vscode.commands.executeCommand('setContext', key, value));
  void progress.announceReached();
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(({ opened }) => opened.length > 0 && void progress.announceReached()),
    tickets.onDidChange((change) => void progress.ticketsChanged(change)),
  );
  return progress;
}
