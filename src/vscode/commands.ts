import * as vscode from 'vscode';
import { CommandIds, type CommandId } from './commandIds';
import { createTicket } from './createTicket';
import { log, UserFacingError } from './log';
import type { CommandHandler } from './registerCommands';
import type { TicketNode, TicketsTreeProvider } from './ticketsView';

/** The handler of every contributed command. */
export function commandHandlers(tree: TicketsTreeProvider): Record<CommandId, CommandHandler> {
  return {
    [CommandIds.createTicket]: (uri) => createTicket(undefined, uri),
    [CommandIds.createDataExportTicket]: (uri) => createTicket('DATA_EXPORT', uri),
    [CommandIds.createSchemaChangeTicket]: (uri) => createTicket('SCHEMA_CHANGE', uri),
    [CommandIds.refresh]: () => tree.refresh(),
    [CommandIds.openDetails]: (node) => openDetails(node as TicketNode | undefined),
    [CommandIds.addProfile]: () => vscode.commands.executeCommand('workbench.action.openSettings', 'dbTickets.profiles'),
    [CommandIds.showLog]: () => log.show(),
  };
}

function openDetails(node: TicketNode | undefined): void {
  if (!node) {
    throw new UserFacingError(vscode.l10n.t('No ticket was chosen. Open the details from a ticket in the Tickets view.'));
  }
  log.info(`open details of ${node.id}`);
}
