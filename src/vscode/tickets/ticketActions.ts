import * as vscode from 'vscode';
import { safeFileName } from '../../core/backend/attachmentFiles';
import type { ActionRequest, TicketAction, UserRef } from '../../core/backend/backend';
import { renderDraftDocument } from '../../core/draft/draftDocument';
import { statusLabel } from '../../core/model/ticketStatus';
import type { Backends } from '../profiles/backends';
import { MultiStepInput } from '../shared/multiStepInput';
import type { Drafts } from '../drafts/drafts';
import { CancelledByUser, log, UserFacingError } from '../shared/log';
import { requireTrustToRunSql } from '../shared/workspaceTrust';
import { ticketArgument } from './ticketArgument';
import { webPage } from './ticketsTree';
import type { TicketsModel } from './ticketsModel';
import type { DownloadFolder } from './downloadFolder';
import { type UserItem, userItem } from '../shared/userItem';


const prompts: Partial<Record<TicketAction, string>> = {
  approve: 'Comment for the approval (optional)',
  reject: 'Why is the ticket rejected? (optional)',
  cancel: 'Why is the ticket cancelled? (optional)',
  close: 'Why is the ticket closed? (optional)',
  reopen: 'Comment for reopening (optional)',
};

/** The ticket actions of the Tickets view: each runs through the ticket's backend and refreshes the tree. */
export function ticketActions(backends: Backends, tickets: TicketsModel, drafts: Drafts, downloads: DownloadFolder) {
  const chosen = (raw: unknown, action?: TicketAction) => ticketArgument(raw, { backends, tickets }, action);

  async function act(raw: unknown, action: Exclude<TicketAction, 'transfer' | 'comment' | 'delete'>): Promise<void> {
    const node = await chosen(raw, action);
    let comment: string | undefined;
    const prompt = prompts[action];
    if (prompt) {
      comment = await vscode.window.showInputBox({ title: `#${node.ticket.id} ${node.ticket.title}`, prompt: vscode.l10n.t(prompt), ignoreFocusOut: true });
      if (comment === undefined) throw new CancelledByUser();
    }
    if (action === 'execute') requireTrustToRunSql(node.profile, vscode.l10n.t('Executing ticket #{0}', node.ticket.id));
    const request: ActionRequest = { action, comment: comment || undefined };
    const backend = await backends.get(node.profile);
    const ticket = await tickets.act(node.profile.name, node.ticket.id, () =>
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('#{0}: {1}…', node.ticket.id, vscode.l10n.t(action)), cancellable: action === 'execute' },
        (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return backend.act(node.ticket.id, request, {
            signal: controller.signal,
            onProgress: ({ done }) => done !== undefined && progress.report({ message: vscode.l10n.t('{0} rows', done.toLocaleString(vscode.env.language)) }),
          });
        },
      ),
    );
    log.info(`#${ticket.id} (${node.profile.name}) ${action}: now ${ticket.status.native}`);
    const message = vscode.l10n.t('Ticket #{0}: {1}', ticket.id, vscode.l10n.t(statusLabel(ticket.status)));
    if (ticket.status.state === 'failed') {
      void vscode.window.showErrorMessage(`${message}: ${ticket.execution?.message ?? ''}`.trim());
    } else {
      void vscode.window.showInformationMessage(message);
    }
  }

  /** Removes a ticket from the service after a modal confirmation; it cannot be undone. */
  async function deleteTicket(raw: unknown): Promise<void> {
    const node = await chosen(raw, 'delete');
    const confirm = vscode.l10n.t('Delete');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete ticket #{0} "{1}" from {2}? Its history goes with it; this cannot be undone.', node.ticket.id, node.ticket.title, node.profile.name),
      { modal: true },
      confirm,
    );
    if (answer !== confirm) throw new CancelledByUser();
    const backend = await backends.get(node.profile);
    await tickets.act(node.profile.name, node.ticket.id, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('#{0}: {1}…', node.ticket.id, vscode.l10n.t('delete')) }, () =>
        backend.act(node.ticket.id, { action: 'delete' }),
      ),
    );
    void vscode.window.showInformationMessage(vscode.l10n.t('Ticket #{0} deleted', node.ticket.id));
  }

  async function comment(raw: unknown): Promise<void> {
    const node = await chosen(raw, 'comment');
    const text = await vscode.window.showInputBox({ title: `#${node.ticket.id} ${node.ticket.title}`, prompt: vscode.l10n.t('Comment'), ignoreFocusOut: true });
    if (!text?.trim()) throw new CancelledByUser();
    const backend = await backends.get(node.profile);
    await backend.act(node.ticket.id, { action: 'comment', comment: text });
    void tickets.look();
  }

  /** Hands the approval to someone else: a user found by searching the backend's users, then an optional comment. */
  async function transfer(raw: unknown): Promise<void> {
    const node = await chosen(raw, 'transfer');
    const backend = await backends.get(node.profile);
    if (!backend.capabilities.searchUsers) {
      throw new UserFacingError(vscode.l10n.t('The profile "{0}" cannot look up users, so tickets cannot be transferred from here: transfer #{1} in the service itself.', node.profile.name, node.ticket.id));
    }
    const answers = { to: undefined as UserRef | undefined, comment: '' };
    const first = (await backend.searchUsers('')).map(userItem);
    await MultiStepInput.run(vscode.l10n.t('Transfer #{0} {1}', node.ticket.id, node.ticket.title), [
      {
        ask: async (input, state) => {
          const chosen = await input.pick<UserItem>({
            placeholder: vscode.l10n.t('Who should decide instead? (type to search)'),
            items: first,
            active: first.find((item) => item.user.id === state.to?.id),
            search: async (text) => (await backend.searchUsers(text)).map(userItem),
          });
          state.to = chosen.user;
        },
      },
      {
        ask: async (input, state) => {
          state.comment = await input.text({ prompt: vscode.l10n.t('Comment for {0} (optional)', state.to?.name ?? ''), value: state.comment });
        },
      },
    ], answers);
    const to = answers.to!;
    const ticket = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('#{0}: {1}…', node.ticket.id, vscode.l10n.t('transfer')) },
      () => backend.act(node.ticket.id, { action: 'transfer', to, comment: answers.comment.trim() || undefined }),
    );
    void tickets.look();
    void vscode.window.showInformationMessage(vscode.l10n.t('Ticket #{0} transferred to {1}', ticket.id, to.name));
  }

  async function openInBrowser(raw: unknown): Promise<void> {
    const { ticket } = await chosen(raw);
    const page = webPage(ticket);
    if (!page) {
      throw new UserFacingError(
        ticket.webUrl
          ? vscode.l10n.t('The web page of #{0} is not an http or https address ({1}), so it is not opened. Check the console address in the profile.', ticket.id, ticket.webUrl)
          : vscode.l10n.t('Ticket #{0} has no web page: its profile names no web console. Set the console address in the profile to open tickets in the browser.', ticket.id),
      );
    }
    const opened = await vscode.env.openExternal(vscode.Uri.parse(page, true));
    if (!opened) log.warn(`opening ${page} in the browser was declined`);
  }

  /** Opens a finished ticket's fields as a new draft, to fix and submit; the backend's fields say what it re-submits. */
  async function redraft(raw: unknown): Promise<vscode.TextDocument> {
    const node = await chosen(raw);
    const backend = await backends.get(node.profile);
    const draft = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading #{0} into a new draft…', node.ticket.id) },
      () => backend.redraft(node.ticket.id),
    );
    const content = renderDraftDocument(
      {
        kind: draft.kind,
        kindReason: vscode.l10n.t('as ticket #{0}', node.ticket.id),
        profile: node.profile.name,
        database: draft.database,
        title: draft.title,
        reason: draft.reason,
        stakeholders: draft.stakeholders,
        estimatedRows: draft.estimatedRows,
        attachments: backend.capabilities.attachments ? draft.attachments.map((a) => a.path) : undefined,
        backendFields: draft.backendFields,
      },
      draft.sql,
    );
    log.info(`re-submit #${node.ticket.id} (${node.profile.name}) as a new draft`);
    return drafts.create(content, draft.title);
  }

  async function download(raw: unknown): Promise<void> {
    const node = await chosen(raw);
    const backend = await backends.get(node.profile);
    const detail = await backend.get(node.ticket.id);
    if (!detail.execution?.hasResult) {
      throw new UserFacingError(vscode.l10n.t('Ticket #{0} has no result to download: execute the approved export first.', detail.id));
    }
    const name = safeFileName(detail.execution.resultName ?? `ticket-${detail.id}`);
    const target = await vscode.window.showSaveDialog({ defaultUri: downloads.suggest(name), title: vscode.l10n.t('Save the result of #{0}', detail.id) });
    if (!target) throw new CancelledByUser();
    await downloads.chose(target);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading the result of #{0}…', detail.id), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return backend.download(detail.id, { path: target.fsPath }, { signal: controller.signal });
      },
    );
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} bytes to {1}', result.bytes, result.path), open);
    if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(result.path));
  }

  /** Saves one of a ticket's attachments (backends with `attachments`): pick it, then where (as a result is saved). */
  async function downloadAttachment(raw: unknown): Promise<void> {
    const node = await chosen(raw);
    const backend = await backends.get(node.profile);
    const files = backend.attachments;
    if (!files) throw new UserFacingError(vscode.l10n.t('The service of profile "{0}" keeps no attachments to download.', node.profile.name));
    const id = node.ticket.id;
    const listed = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the attachments of #{0}…', id) }, () => files.list(id));
    const items = listed.filter((f) => f.id !== undefined).map((file) => ({ label: file.name, description: file.size === undefined ? undefined : vscode.l10n.t('{0} bytes', file.size), file }));
    if (items.length === 0) throw new UserFacingError(vscode.l10n.t('Ticket #{0} has no attachments.', id));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Download an attachment of #{0}', id), placeHolder: vscode.l10n.t('The attachment to save') });
    if (!picked) throw new CancelledByUser();
    const target = await vscode.window.showSaveDialog({ defaultUri: downloads.suggest(safeFileName(picked.file.name)), title: vscode.l10n.t('Save {0} of #{1}', picked.file.name, id) });
    if (!target) throw new CancelledByUser();
    await downloads.chose(target);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0} of #{1}…', picked.file.name, id), cancellable: true },
      (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return files.download(id, picked.file.id!, { path: target.fsPath }, { signal: controller.signal });
      },
    );
    log.info(`saved the attachment ${picked.file.name} of #${id} (${node.profile.name}) to ${result.path}`);
    const open = vscode.l10n.t('Open');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} bytes to {1}', result.bytes, result.path), open);
    if (choice === open) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.path));
  }

  async function copyId(raw: unknown): Promise<void> {
    await vscode.env.clipboard.writeText((await chosen(raw)).ticket.id);
  }

  return {
    approve: (node: unknown) => act(node, 'approve'),
    reject: (node: unknown) => act(node, 'reject'),
    cancel: (node: unknown) => act(node, 'cancel'),
    close: (node: unknown) => act(node, 'close'),
    urge: (node: unknown) => act(node, 'urge'),
    reopen: (node: unknown) => act(node, 'reopen'),
    deleteTicket,
    execute: (node: unknown) => act(node, 'execute'),
    transfer,
    comment,
    download,
    downloadAttachment,
    redraft,
    openInBrowser,
    copyId,
  };
}
