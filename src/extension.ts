import { join } from 'node:path';
import * as vscode from 'vscode';
import { Backends } from './vscode/backends';
import { commandHandlers } from './vscode/commands';
import { RememberedAnswers } from './vscode/create/rememberedAnswers';
import { DraftFileSystem, draftScheme } from './vscode/draftFiles';
import { registerDetailsPanels } from './vscode/details/detailsPanel';
import { registerDraftCodeLens } from './vscode/draftCodeLens';
import { Drafts } from './vscode/drafts';
import { log } from './vscode/log';
import { registerCommands } from './vscode/registerCommands';
import { SourceTickets } from './vscode/sourceTickets';
import { registerSqlDiagnostics } from './vscode/sqlDiagnostics';
import { TicketDocuments, ticketScheme } from './vscode/ticketDocument';
import { createTicketsView } from './vscode/ticketsView';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(log);
  const backends = new Backends(context);
  context.subscriptions.push(backends, vscode.workspace.registerTextDocumentContentProvider(ticketScheme, new TicketDocuments(backends)));
  const draftFiles = new DraftFileSystem(join(context.globalStorageUri.fsPath, 'drafts'));
  const drafts = new Drafts(draftFiles);
  context.subscriptions.push(drafts, vscode.workspace.registerFileSystemProvider(draftScheme, draftFiles));
  const tree = createTicketsView(context, backends);
  const details = registerDetailsPanels(context, backends, tree);
  const sources = new SourceTickets(context.globalState, backends, tree);
  context.subscriptions.push(sources, vscode.languages.registerCodeLensProvider({ scheme: 'file' }, sources));
  registerCommands(context, commandHandlers({ backends, drafts, remembered: new RememberedAnswers(context.globalState), sources }, tree, details, context));
  registerSqlDiagnostics(context);
  registerDraftCodeLens(context);
  log.info(`DB Tickets ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
