import * as vscode from 'vscode';
import type { TicketsModel } from '../tickets/ticketsModel';
import { WalkthroughProgress } from './walkthroughProgress';

/**
 * When, after an editor opened, the milestones reached are announced again (ms). The Welcome page may be that editor:
 * it starts VS Code's walkthrough service, which registers the extension's steps a moment later — seconds on a busy
 * machine; no event says when, and an announcement before that is lost — so the announcement is repeated, each time
 * doing nothing to a step already done.
 */
const announceDelays = [0, 1_000, 3_000, 10_000, 30_000];

/**
 * The walkthrough's progress for this window: the milestones reached before are announced at once (the Welcome page
 * may be open already) and whenever an editor opens, and the tickets model tells it when followed tickets succeed.
 */
export function registerWalkthroughProgress(context: vscode.ExtensionContext, tickets: TicketsModel): WalkthroughProgress {
  const progress = new WalkthroughProgress(context.globalState, (key, value) => vscode.commands.executeCommand('setContext', key, value));
  const timers = new Set<NodeJS.Timeout>();
  const announceSoon = () => {
    for (const delay of announceDelays) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void progress.announceReached();
      }, delay);
      timers.add(timer);
    }
  };
  announceSoon();
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(({ opened }) => opened.length > 0 && announceSoon()),
    tickets.onDidChange((change) => void progress.ticketsChanged(change)),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
  return progress;
}
