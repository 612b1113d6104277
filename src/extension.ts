import { join } from 'node:path';
import * as vscode from 'vscode';
import { registerLanguageModelTools } from './vscode/agents/languageModelTools';
import { Backends } from './vscode/profiles/backends';
import { commandHandlers } from './vscode/commands/commands';
import { RememberedAnswers } from './vscode/create/rememberedAnswers';
import { DraftFileSystem, draftScheme } from './vscode/drafts/draftFiles';
import { registerDetailsPanels } from './vscode/details/detailsPanel';
import { registerDraftCodeLens } from './vscode/drafts/draftCodeLens';
import { clearDiagnosticsOfClosedDrafts } from './vscode/drafts/draftEditors';
import { DraftList } from './vscode/drafts/draftList';
import { Drafts } from './vscode/drafts/drafts';
import { log } from './vscode/shared/log';
import { registerCommands } from './vscode/commands/registerCommands';
import { SourceTickets } from './vscode/tickets/sourceTickets';
import { DraftDiagnostics } from './vscode/diagnostics/draftDiagnostics';
import { registerSqlDiagnostics } from './vscode/diagnostics/sqlDiagnostics';
import { TicketDocuments, ticketScheme } from './vscode/tickets/ticketDocument';
import { LiveStatus } from './vscode/tickets/liveStatus';
import { createTicketsView } from './vscode/tickets/ticketsTree';
import { TicketsModel } from './vscode/tickets/ticketsModel';
import { warnAboutStores } from './vscode/tickets/storeWarnings';
import { registerWalkthroughProgress } from './vscode/walkthrough/registerWalkthrough';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(log);
  const backends = new Backends(context);
  context.subscriptions.push(backends, vscode.workspace.registerTextDocumentContentProvider(ticketScheme, new TicketDocuments(backends)));
  const draftFiles = new DraftFileSystem(join(context.globalStorageUri.fsPath, 'drafts'));
  const drafts = new Drafts(draftFiles);
  context.subscriptions.push(drafts, vscode.workspace.registerFileSystemProvider(draftScheme, draftFiles));
  const tickets = new TicketsModel(backends);
  const draftList = new DraftList();
  context.subscriptions.push(draftList);
  const view = createTicketsView(context, tickets, draftList);
  context.subscriptions.push(tickets, warnAboutStores(tickets), new LiveStatus(tickets, view), backends.onDidChange(() => tickets.refresh()));
  const details = registerDetailsPanels(context, backends, tickets);
  const sources = new SourceTickets(context.globalState, backends, tickets);
  context.subscriptions.push(sources, vscode.languages.registerCodeLensProvider({ scheme: 'file' }, sources));
  const draftDiagnostics = new DraftDiagnostics();
  context.subscriptions.push(draftDiagnostics);
  const remembered = new RememberedAnswers(context.globalState);
  const progress = registerWalkthroughProgress(context, tickets);
  registerCommands(context, commandHandlers({ backends, drafts, remembered, sources }, tickets, details, context, draftDiagnostics, progress));
  context.subscriptions.push(...registerLanguageModelTools(backends, drafts, remembered));
  context.subscriptions.push(clearDiagnosticsOfClosedDrafts(drafts, registerSqlDiagnostics(context, draftDiagnostics)));
  registerDraftCodeLens(context, backends);
  log.info(`DB Tickets ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {}
