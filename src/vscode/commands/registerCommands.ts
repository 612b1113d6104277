import * as vscode from 'vscode';
import type { CommandId } from './commandIds';
import { showError } from '../shared/log';

export type CommandHandler = (...args: unknown[]) => unknown;

/**
 * Registers each handler behind one wrapper: errors are logged and shown with "Show Log", never swallowed. The
 * command ends once its error is shown, not when the user answers it: whoever ran it (a key binding, another
 * command) is not kept waiting on a notification.
 */
export function registerCommands(context: vscode.ExtensionContext, handlers: Record<CommandId, CommandHandler>): void {
  for (const [id, handler] of Object.entries(handlers)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(...args);
        } catch (error) {
          void showError(error, id);
          return undefined;
        }
      }),
    );
  }
}
