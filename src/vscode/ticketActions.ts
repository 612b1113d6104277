import * as vscode from 'vscode';
import type { ActionRequest, TicketAction } from '../core/backend/backend';
import { statusLabel } from '../core/model/ticketStatus';
import type { Backends } from './backends';
import { CancelledByUser, UserFacingError } from './log';
import type { TicketsTreeProvider, TreeNode } from './ticketsView';

type TicketNode = Extract<TreeNode, { type: 'ticket' }>;

function ticketNode(node: unknown): TicketNode {
  if ((node as TreeNode | undefined)?.type !== 'ticket') {
    throw new UserFacingError(vscode.l10n.t('No ticket was chosen. Run this from a ticket in the Tickets view.'));
  }
  return node as TicketNode;
}

const prompts: Partial<Record<TicketAction, string>> = {
  approve: 'Comment for the approval (optional)',
  reject: 'Why is the ticket rejected? (optional)',
  cancel: 'Why is the ticket cancelled? (optional)',
};

/** The ticket actions of the Tickets view: each runs through the ticket's backend and refreshes the tree. */
export function ticketActions(backends: Backends, tree: TicketsTreeProvider) {
  async function act(raw: unknown, action: Exclude<TicketAction, 'transfer' | 'comment'>): Promise<void> {
    const node = ticketNode(raw);
    let comment: string | undefined;
    const prompt = prompts[action];
    if (prompt) {
      comment = await vscode.window.showInputBox({ title: `#${node.ticket.id} ${node.ticket.title}`, prompt: vscode.l10n.t(prompt), ignoreFocusOut: true });
      if (comment === undefined) throw new CancelledByUser();
    }
    const request: ActionRequest = { action, comment: comment || undefined };
    const backend = await backends.get(node.profile);
    const ticket = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('#{0}: {1}…', node.ticket.id, vscode.l10n.t(action)), cancellable: action === 'execute' },
      (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return backend.act(node.ticket.id, request, {
          signal: controller.signal,
          onProgress: ({ done }) => done !== undefined && progress.report({ message: vscode.l10n.t('{0} rows', done.toLocaleString(vscode.env.language)) }),
        });
      },
    );
    tree.refresh();
    const message = vscode.l10n.t('Ticket #{0}: {1}', ticket.id, vscode.l10n.t(statusLabel(ticket.status)));
    if (ticket.status.state === 'failed') {
      void vscode.window.showErrorMessage(`${message}: ${ticket.execution?.message ?? ''}`.trim());
    } else {
      void vscode.window.showInformationMessage(message);
    }
  }

  async function comment(raw: unknown): Promise<void> {
    const node = ticketNode(raw);
    const text = await vscode.window.showInputBox({ title: `#${node.ticket.id} ${node.ticket.title}`, prompt: vscode.l10n.t('Comment'), ignoreFocusOut: true });
    if (!text?.trim()) throw new CancelledByUser();
    const backend = await backends.get(node.profile);
    await backend.act(node.ticket.id, { action: 'comment', comment: text });
    tree.refresh();
  }

  async function download(raw: unknown): Promise<void> {
    const node = ticketNode(raw);
    const backend = await backends.get(node.profile);
    const detail = await backend.get(node.ticket.id);
    if (!detail.execution?.hasResult) {
      throw new UserFacingError(vscode.l10n.t('Ticket #{0} has no result to download: execute the approved export first.', detail.id));
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = detail.execution.resultName ?? `ticket-${detail.id}`;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, title: vscode.l10n.t('Save the result of #{0}', detail.id) });
    if (!target) throw new CancelledByUser();
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

  async function copyId(raw: unknown): Promise<void> {
    await vscode.env.clipboard.writeText(ticketNode(raw).ticket.id);
  }

  return {
    approve: (node: unknown) => act(node, 'approve'),
    reject: (node: unknown) => act(node, 'reject'),
    cancel: (node: unknown) => act(node, 'cancel'),
    execute: (node: unknown) => act(node, 'execute'),
    comment,
    download,
    copyId,
  };
}
