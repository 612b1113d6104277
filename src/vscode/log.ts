import * as vscode from 'vscode';
import { DbTicketsError } from '../core/errors';

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

/**
 * Shows an error with "Show Log" and writes it to the log. The messages of `UserFacingError` and of the core's
 * `DbTicketsError` are written for users and shown as they are; anything else is a bug, shown with the command's
 * name and logged with its stack. A cancellation — the user's own, or an operation they aborted — is not an error.
 */
export async function showError(error: unknown, context: string): Promise<void> {
  if (error instanceof CancelledByUser || (error instanceof DbTicketsError && error.kind === 'cancelled')) return;
  const message = error instanceof Error ? error.message : String(error);
  const forUser = error instanceof UserFacingError || error instanceof DbTicketsError;
  const cause = error instanceof DbTicketsError && error.cause instanceof Error ? `\n  cause: ${error.cause.stack ?? error.cause.message}` : '';
  log.error(`${context}: ${forUser ? message : error instanceof Error ? error.stack ?? message : message}${cause}`);
  const showLog = vscode.l10n.t('Show Log');
  const shown = forUser ? message : vscode.l10n.t('{0} failed: {1}', context, message);
  if ((await vscode.window.showErrorMessage(shown, showLog)) === showLog) log.show();
}
