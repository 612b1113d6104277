import * as vscode from 'vscode';
import { CommandIds, type CommandId } from './commandIds';
import { createTicket } from './createTicket';
import { log, UserFacingError } from './log';
import type { CommandHandler } from './registerCommands';
import { ticketUri } from './ticketDocument';
import type { TicketsTreeProvider, TreeNode } from './ticketsView';

/** The handler of every contributed command. */
export function commandHandlers(tree: TicketsTreeProvider): Record<CommandId, CommandHandler> {
  return {
    [CommandIds.createTicket]: (uri) => createTicket(undefined, uri),
    [CommandIds.createDataExportTicket]: (uri) => createTicket('DATA_EXPORT', uri),
    [CommandIds.createSchemaChangeTicket]: (uri) => createTicket('SCHEMA_CHANGE', uri),
    [CommandIds.refresh]: () => tree.refresh(),
    [CommandIds.openDetails]: (node) => openDetails(node as TreeNode | undefined),
    [CommandIds.addProfile]: () => vscode.commands.executeCommand('workbench.action.openSettings', 'dbTickets.profiles'),
    [CommandIds.showLog]: () => log.show(),
  };
}

async function openDetails(node: TreeNode | undefined): Promise<void> {
  if (node?.type !== 'ticket') {
    throw new UserFacingError(vscode.l10n.t('No ticket was chosen. Open the details from a ticket in the Tickets view.'));
  }
  const document = await vscode.workspace.openTextDocument(ticketUri(node.profile.name, node.ticket.id));
  await vscode.window.showTextDocument(document, { preview: true });
}
