import * as vscode from 'vscode';
import { renderDraftDocument } from '../core/draft/draftDocument';
import { type TicketKind, ticketKindLabels } from '../core/model/ticketKind';
import { log, CancelledByUser } from './log';
import { sqlFromEditor } from './sqlSource';

/** Which entry point started a create; recorded in the log. */
export type CreateEntryPoint = 'editorContext' | 'paletteOrViewTitle';

/**
 * The one create path behind every entry point (editor context menu, command palette, the view's title bar):
 * take the SQL, settle the kind, and open the draft document for review.
 */
export async function createTicket(kind: TicketKind | undefined, uri?: unknown): Promise<vscode.TextDocument> {
  const invokedOn = uri instanceof vscode.Uri ? uri : undefined;
  const entryPoint: CreateEntryPoint = invokedOn ? 'editorContext' : 'paletteOrViewTitle';
  const source = await sqlFromEditor(invokedOn);
  const chosenKind = kind ?? (await pickKind());
  log.info(`create ${chosenKind} from ${entryPoint}: ${source.document.uri.toString()} ${formatRange(source.range)}`);

  const profile = vscode.workspace.getConfiguration('dbTickets').get<string>('defaultProfile', 'Local');
  const content = renderDraftDocument(
    {
      kind: chosenKind,
      kindReason: kind ? vscode.l10n.t('chosen by command') : vscode.l10n.t('chosen by you'),
      profile,
      database: '',
      title: '',
      reason: '',
    },
    source.sql,
  );
  const draft = await vscode.workspace.openTextDocument({ language: 'sql', content });
  await vscode.window.showTextDocument(draft, { preview: false });
  return draft;
}

async function pickKind(): Promise<TicketKind> {
  const items = (Object.keys(ticketKindLabels) as TicketKind[]).map((kind) => ({
    label: vscode.l10n.t(ticketKindLabels[kind]),
    description: kind,
    ticketKind: kind,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Create Ticket'),
    placeHolder: vscode.l10n.t('What should the ticket do with this SQL?'),
  });
  if (!picked) throw new CancelledByUser();
  return picked.ticketKind;
}

function formatRange(range: vscode.Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}
