import * as vscode from 'vscode';
import { CommandIds, type CommandId, ViewIds } from './commandIds';
import { type CreateContext, createTicket } from '../create/createTicket';
import type { DetailsPanels } from '../details/detailsPanel';
import type { DraftDiagnostics } from '../diagnostics/draftDiagnostics';
import { log, UserFacingError } from '../shared/log';
import { openDemo } from './openDemo';
import { connectionCommands } from '../profiles/connectionCommands';
import { profileCommands } from '../profiles/profileCommands';
import type { CommandHandler } from './registerCommands';
import { submitDraft } from '../drafts/submitDraft';
import { draftCommands } from '../drafts/draftCommands';
import { ticketActions } from '../tickets/ticketActions';
import { DownloadFolder } from '../tickets/downloadFolder';
import type { TreeNode } from '../tickets/ticketsTree';
import type { TicketsModel } from '../tickets/ticketsModel';
import { ticketArgument } from '../tickets/ticketArgument';
import { openCliGuide } from '../walkthrough/cliGuide';
import { Milestones, type WalkthroughProgress } from '../walkthrough/walkthroughProgress';

/** The handler of every contributed command. */
export function commandHandlers(
  create: CreateContext,
  tickets: TicketsModel,
  details: DetailsPanels,
  extension: vscode.ExtensionContext,
  draftDiagnostics: DraftDiagnostics,
  progress: WalkthroughProgress,
): Record<CommandId, CommandHandler> {
  const { backends, drafts, sources } = create;
  const actions = ticketActions(backends, tickets, drafts, new DownloadFolder(extension.globalState));
  const draft = draftCommands(drafts);
  const profiles = profileCommands(backends, extension.secrets, progress);
  const connections = connectionCommands(backends, extension.secrets);
  return {
    [CommandIds.createTicket]: (uri) => createTicket(create, undefined, uri),
    [CommandIds.createDataExportTicket]: (uri) => createTicket(create, 'DATA_EXPORT', uri),
    [CommandIds.createSchemaChangeTicket]: (uri) => createTicket(create, 'SCHEMA_CHANGE', uri),
    [CommandIds.submitDraft]: (uri) => submitDraft({ backends, drafts, tickets, sources, diagnostics: draftDiagnostics, progress }, uri),
    [CommandIds.openDraft]: draft.open,
    [CommandIds.discardDraft]: draft.discard,
    [CommandIds.refresh]: () => tickets.refresh(),
    [CommandIds.loadMore]: (node) => loadMore(node as TreeNode | undefined),
    [CommandIds.openDetails]: async (arg) => {
      const { profile, ticket } = await ticketArgument(arg, { backends, tickets });
      details.open(profile, ticket);
    },
    [CommandIds.approve]: actions.approve,
    [CommandIds.reject]: actions.reject,
    [CommandIds.execute]: actions.execute,
    [CommandIds.cancel]: actions.cancel,
    [CommandIds.close]: actions.close,
    [CommandIds.urge]: actions.urge,
    [CommandIds.reopen]: actions.reopen,
    [CommandIds.deleteTicket]: actions.deleteTicket,
    [CommandIds.transfer]: actions.transfer,
    [CommandIds.comment]: actions.comment,
    [CommandIds.download]: actions.download,
    [CommandIds.downloadAttachment]: actions.downloadAttachment,
    [CommandIds.redraft]: actions.redraft,
    [CommandIds.openInBrowser]: actions.openInBrowser,
    [CommandIds.copyId]: actions.copyId,
    [CommandIds.addProfile]: profiles.add,
    [CommandIds.editProfile]: profiles.edit,
    [CommandIds.removeProfile]: profiles.remove,
    [CommandIds.checkProfile]: profiles.check,
    [CommandIds.addConnection]: connections.add,
    [CommandIds.editConnection]: connections.edit,
    [CommandIds.removeConnection]: connections.remove,
    [CommandIds.showLog]: () => log.show(),
    [CommandIds.openDemo]: async () => {
      await openDemo(extension.extensionUri);
      await progress.reach(Milestones.demoOpened);
    },
    [CommandIds.openCliGuide]: async () => {
      await openCliGuide(extension.extensionUri);
      await progress.reach(Milestones.cliGuideOpened);
    },
  };
}

/** Lists the next page of the profile a "Load More…" node belongs to, with the view's progress bar. */
async function loadMore(node: TreeNode | undefined): Promise<void> {
  if (node?.type !== 'more') {
    throw new UserFacingError(vscode.l10n.t('No list was chosen. Use "Load More…" under a profile in the Tickets view.'));
  }
  await vscode.window.withProgress({ location: { viewId: ViewIds.tickets } }, () => node.load());
}
