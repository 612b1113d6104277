import type * as vscode from 'vscode';
import { commandHandlers } from './vscode/commands';
import { log } from './vscode/log';
import { registerCommands } from './vscode/registerCommands';
import { createTicketsView } from './vscode/ticketsView';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(log);
  const tree = createTicketsView(context);
  registerCommands(context, commandHandlers(tree));
  log.info(`DB Tickets ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
