import * as vscode from 'vscode';
import { CommandIds, type CommandId } from './commandIds';
import type { Backends } from './backends';
import { createTicket } from './createTicket';
import type { Drafts } from './drafts';
import { log, UserFacingError } from './log';
import { openDemo } from './openDemo';
import { connectionCommands } from './profiles/connectionCommands';
import { profileCommands } from './profiles/profileCommands';
import type { CommandHandler } from './registerCommands';
import { submitDraft } from './submitDraft';
import { ticketActions } from './ticketActions';
import { ticketUri } from './ticketDocument';
import type { TicketsTreeProvider, TreeNode } from './ticketsView';

/** The handler of every contributed command. */
export function commandHandlers(backends: Backends, drafts: Drafts, tree: TicketsTreeProvider, extension: vscode.ExtensionContext): Record<CommandId, CommandHandler> {
  const actions = ticketActions(backends, tree);
  const profiles = profileCommands(backends, extension.secrets);
  const connections = connectionCommands(backends, extension.secrets);
  return {
    [CommandIds.createTicket]: (uri) => createTicket(drafts, undefined, uri),
    [CommandIds.createDataExportTicket]: (uri) => createTicket(drafts, 'DATA_EXPORT', uri),
    [CommandIds.createSchemaChangeTicket]: (uri) => createTicket(drafts, 'SCHEMA_CHANGE', uri),
    [CommandIds.submitDraft]: (uri) => submitDraft(backends, drafts, tree, uri),
    [CommandIds.refresh]: () => tree.refresh(),
    [CommandIds.openDetails]: (node) => openDetails(node as TreeNode | undefined),
    [CommandIds.approve]: actions.approve,
    [CommandIds.reject]: actions.reject,
    [CommandIds.execute]: actions.execute,
    [CommandIds.cancel]: actions.cancel,
    [CommandIds.comment]: actions.comment,
    [CommandIds.download]: actions.download,
    [CommandIds.copyId]: actions.copyId,
    [CommandIds.addProfile]: profiles.add,
    [CommandIds.editProfile]: profiles.edit,
    [CommandIds.removeProfile]: profiles.remove,
    [CommandIds.checkProfile]: profiles.check,
    [CommandIds.addConnection]: connections.add,
    [CommandIds.editConnection]: connections.edit,
    [CommandIds.removeConnection]: connections.remove,
    [CommandIds.showLog]: () => log.show(),
    [CommandIds.openDemo]: () => openDemo(extension.extensionUri),
  };
}

async function openDetails(node: TreeNode | undefined): Promise<void> {
  if (node?.type !== 'ticket') {
    throw new UserFacingError(vscode.l10n.t('No ticket was chosen. Open the details from a ticket in the Tickets view.'));
  }
  const document = await vscode.workspace.openTextDocument(ticketUri(node.profile.name, node.ticket.id));
  await vscode.window.showTextDocument(document, { preview: true });
}
