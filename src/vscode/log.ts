import * as vscode from 'vscode';

/** The extension's Log output channel; every error shown to the user offers to open it. */
export const log: vscode.LogOutputChannel = vscode.window.createOutputChannel('DB Tickets', { log: true });

/** An error whose message is written for the user (what happened, why, what to do). */
export class UserFacingError extends Error {}

/** A user's own cancellation (Escape, Cancel): nothing to report. */
export class CancelledByUser extends Error {
  constructor() {
    super('Cancelled');
  }
}

export async function showError(error: unknown, context: string): Promise<void> {
  if (error instanceof CancelledByUser) return;
  const message = error instanceof Error ? error.message : String(error);
  log.error(`${context}: ${error instanceof Error && !(error instanceof UserFacingError) ? error.stack ?? message : message}`);
  const showLog = vscode.l10n.t('Show Log');
  const shown = error instanceof UserFacingError ? message : vscode.l10n.t('{0} failed: {1}', context, message);
  if ((await vscode.window.showErrorMessage(shown, showLog)) === showLog) log.show();
}
