import * as vscode from 'vscode';
import { renderDraftDocument } from '../core/draft/draftDocument';
import type { TicketKind } from '../core/model/ticketKind';
import { localProfile } from '../backends/profiles';
import { analyzeSql } from '../core/rules/analyzeSql';
import { checkTicketKind } from '../core/rules/kindRules';
import type { SqlDialect } from '../core/sql/dialect';
import type { Drafts } from './drafts';
import { log, UserFacingError } from './log';
import { dialectOf } from './sqlDialect';
import { sqlFromEditor } from './sqlSource';

/** Which entry point started a create; recorded in the log. */
export type CreateEntryPoint = 'editorContext' | 'paletteOrViewTitle';

/**
 * The one create path behind every entry point (editor context menu, command palette, the view's title bar):
 * take the SQL, settle the kind — the one asked for if the SQL fits it, else the one the SQL implies — and
 * open the draft document for review.
 */
export async function createTicket(drafts: Drafts, kind: TicketKind | undefined, uri?: unknown): Promise<vscode.TextDocument> {
  const invokedOn = uri instanceof vscode.Uri ? uri : undefined;
  const entryPoint: CreateEntryPoint = invokedOn ? 'editorContext' : 'paletteOrViewTitle';
  const source = await sqlFromEditor(invokedOn);
  const { kind: settledKind, reason } = settleKind(source.sql, dialectOf(source.document.languageId), kind);
  log.info(`create ${settledKind} from ${entryPoint}: ${source.document.uri.toString()} ${formatRange(source.range)}`);

  const profile = vscode.workspace.getConfiguration('dbTickets').get<string>('defaultProfile', localProfile.name);
  const content = renderDraftDocument({ kind: settledKind, kindReason: reason, profile, database: '', title: '', reason: '' }, source.sql);
  const draft = await vscode.workspace.openTextDocument({ language: 'sql', content });
  drafts.add(draft);
  await vscode.window.showTextDocument(draft, { preview: false });
  return draft;
}

function settleKind(sql: string, dialect: SqlDialect, requested: TicketKind | undefined): { kind: TicketKind; reason: string } {
  const analysis = analyzeSql(sql, { dialect, ticketKind: requested });
  if (requested) {
    const [violation] = checkTicketKind(requested, analysis.statements);
    if (violation) throw new UserFacingError(violation.message);
    return { kind: requested, reason: vscode.l10n.t('chosen by command') };
  }
  if (!analysis.ticketKind) {
    throw new UserFacingError(vscode.l10n.t('This SQL cannot become a ticket: {0}.', analysis.reason));
  }
  return { kind: analysis.ticketKind, reason: vscode.l10n.t('inferred: {0}', analysis.reason) };
}

function formatRange(range: vscode.Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}
