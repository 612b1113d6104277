import * as vscode from 'vscode';
import type { TicketsModel } from '../tickets/ticketsModel';
import { WalkthroughProgress } from './walkthroughProgress';

/**
 * When the milestones reached are announced again after a tab that may be the Welcome page opened (ms). Opening it
 * starts VS Code's walkthrough service, which registers the extension's steps a moment later — seconds on a busy
 * machine, and no event says when. An announcement before that is worse than lost: the service takes it as seen and
 * ignores the milestone for the rest of the window. So the announcements wait, and are repeated; each does nothing
 * to a step already done.
 */
const announceDelays = [1_000, 5_000, 15_000];

/** The Welcome page is a tab of a kind the extension API does not describe: its input is undefined. */
const mayBeWelcomePage = (tab: vscode.Tab) => tab.input === undefined;

/**
 * The walkthrough's progress for this window: milestones are announced as they are reached, those reached before
 * once the Welcome page may show them, and the tickets model tells it when followed tickets succeed.
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
  if (vscode.window.tabGroups.all.some((group) => group.tabs.some(mayBeWelcomePage))) announceSoon();
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs(({ opened }) => opened.some(mayBeWelcomePage) && announceSoon()),
    tickets.onDidChange((change) => void progress.ticketsChanged(change)),
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
  return progress;
}
