import * as vscode from 'vscode';
import { Backends } from './vscode/backends';
import { commandHandlers } from './vscode/commands';
import { Drafts } from './vscode/drafts';
import { log } from './vscode/log';
import { registerCommands } from './vscode/registerCommands';
import { registerSqlDiagnostics } from './vscode/sqlDiagnostics';
import { TicketDocuments, ticketScheme } from './vscode/ticketDocument';
import { createTicketsView } from './vscode/ticketsView';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(log);
  const backends = new Backends(context);
  context.subscriptions.push(backends, vscode.workspace.registerTextDocumentContentProvider(ticketScheme, new TicketDocuments(backends)));
  const drafts = new Drafts();
  context.subscriptions.push(drafts);
  const tree = createTicketsView(context, backends);
  registerCommands(context, commandHandlers(backends, drafts, tree, context));
  registerSqlDiagnostics(context);
  log.info(`DB Tickets ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
