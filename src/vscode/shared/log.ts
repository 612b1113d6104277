import * as vscode from 'vscode';
import { DbTicketsError } from '../../core/errors';
import { Redactor } from '../../core/redact';

const redactor = new Redactor();

/** Registers a secret (a password, an access key secret) so that no log line or error message shows it. */
export function redactSecret(secret: string | undefined): void {
  redactor.add(secret);
}

export function redact(text: string): string {
  return redactor.redact(text);
}

const writers = new Set<PropertyKey>(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

function redactArgument(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redact(value.stack ?? value.message);
  if (value !== null && typeof value === 'object') return redact(JSON.stringify(value));
  return value;
}

/** The channel as callers know it, with every write passed through the redactor first. */
function redacting(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  return new Proxy(channel, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (!writers.has(key)) return value.bind(target);
      return (...args: unknown[]) => value.apply(target, args.map(redactArgument));
    },
  });
}

/** The extension's Log output channel; secrets are redacted, and every error shown to the user offers to open it. */
export const log: vscode.LogOutputChannel = redacting(vscode.window.createOutputChannel('DB Tickets', { log: true }));

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
  const shown = redact(forUser ? message : vscode.l10n.t('{0} failed: {1}', context, message));
  if ((await vscode.window.showErrorMessage(shown, showLog)) === showLog) log.show();
}
