import * as vscode from 'vscode';
import { parseDraftDocument } from '../../core/draft/draftDocument';
import { UserFacingError } from '../shared/log';
import type { TreeNode } from '../tickets/ticketsTree';
import { closeDraftEditors, openDraftUri } from './draftEditors';
import type { Drafts } from './drafts';

/** The draft a command acts on: a Drafts item, a draft URI (an editor's menu), or the active editor's draft. */
function draftArgument(drafts: Drafts, arg: unknown): { id: string; uri: vscode.Uri; title: string } {
  const node = arg as TreeNode | undefined;
  if (node?.type === 'draft') return { id: node.draft.id, uri: node.draft.uri, title: node.draft.title };
  const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  const id = uri && drafts.idOf(uri);
  if (!uri || !id) {
    throw new UserFacingError(vscode.l10n.t('No draft was chosen. Pick one in the Drafts group of the Tickets view, or run the command from the draft\'s editor.'));
  }
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return { id, uri, title: (document && parseDraftDocument(document.getText()).title) || uri.path.slice(1) };
}

/** Opening and discarding drafts, from the Drafts group of the Tickets view. */
export function draftCommands(drafts: Drafts) {
  /** Opens the draft, in the editor that already shows it if any, under its own id. */
  async function open(arg: unknown): Promise<void> {
    const draft = draftArgument(drafts, arg);
    const uri = openDraftUri(draft.id) ?? draft.uri;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      throw new UserFacingError(vscode.l10n.t('The draft "{0}" no longer exists: it was submitted or discarded in another window.', draft.title));
    }
    await vscode.window.showTextDocument(uri, { preview: false });
  }

  /** Deletes the draft for good once the user confirms, closing its editors. */
  async function discard(arg: unknown): Promise<void> {
    const draft = draftArgument(drafts, arg);
    const confirm = vscode.l10n.t('Discard');
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('Discard the draft "{0}"?', draft.title),
      { modal: true, detail: vscode.l10n.t('Its header and SQL are deleted and its editor closes. This cannot be undone.') },
      confirm,
    );
    if (answer !== confirm) return;
    await closeDraftEditors(draft.id);
    await drafts.discard(openDraftUri(draft.id) ?? draft.uri);
  }

  return { open, discard };
}
