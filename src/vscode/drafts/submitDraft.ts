import * as vscode from 'vscode';
import { localProfile } from '../../backends/profiles';
import { checkDraft, type DraftWarning } from '../../core/draft/checkDraft';
import { parseDraftDocument } from '../../core/draft/draftDocument';
import type { Backend, TicketSummary } from '../../core/backend/backend';
import { closingAction } from '../../core/backend/declaredActions';
import { failedChecks } from '../../core/backend/ticketText';
import { statusLabel } from '../../core/model/ticketStatus';
import type { ProfileConfig } from '../../backends/profiles';
import type { Backends } from '../profiles/backends';
import { CommandIds } from '../commands/commandIds';
import type { Drafts } from './drafts';
import { closeDraftEditors } from './draftEditors';
import { CancelledByUser, log, showError, UserFacingError } from '../shared/log';
import { requireTrustToRunSql } from '../shared/workspaceTrust';
import { backendLabel, translate } from '../profiles/profileForm';
import type { SourceTickets } from '../tickets/sourceTickets';
import type { DraftDiagnostics } from '../diagnostics/draftDiagnostics';
import { dialectOf } from '../diagnostics/sqlDialect';
import type { TreeNode } from '../tickets/ticketsTree';
import type { TicketsModel } from '../tickets/ticketsModel';
import type { WalkthroughProgress } from '../walkthrough/walkthroughProgress';

export interface SubmitContext {
  backends: Backends;
  drafts: Drafts;
  tickets: TicketsModel;
  sources: SourceTickets;
  /** Where a refused draft's problems are marked. */
  diagnostics: DraftDiagnostics;
  /** Told of each ticket submitted, which the walkthrough follows. */
  progress: WalkthroughProgress;
}

/**
 * Submits the draft in `uri` (or the active editor) to its profile's backend, with a cancellable progress
 * notification. A draft that cannot be submitted stays open, and the message says which line to fix.
 */
export async function submitDraft({ backends, drafts, tickets, sources, diagnostics, progress }: SubmitContext, uri?: unknown): Promise<void> {
  const document = uri instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
  const draftId = document && drafts.idOf(document.uri);
  if (!document || !draftId) {
    throw new UserFacingError(vscode.l10n.t('This editor holds no ticket draft. Select SQL and run "Create Ticket from Selection…" to start one.'));
  }
  const parsed = parseDraftDocument(document.getText());
  const profiles = backends.profiles();
  const profileName = parsed.profile || localProfile.name;
  const profile = profiles.find((p) => p.name === profileName);
  if (!profile) {
    const known = profiles.map((p) => p.name).join(', ');
    throw new UserFacingError(atLine(parsed.lines.profile, vscode.l10n.t('The draft\'s Profile "{0}" is not configured: use one of {1}.', profileName, known)));
  }
  requireTrustToRunSql(profile, vscode.l10n.t('Submitting to profile "{0}"', profile.name));
  const backend = await backends.get(profile);
  const check = checkDraft(parsed, { id: draftId, dialect: dialectOf(document.languageId), target: { name: backendLabel(profile), capabilities: backend.capabilities } });
  if (!check.ok) {
    diagnostics.showRefusal(document, check.problems);
    const [problem, ...more] = check.problems;
    const message = atLine(problem.line, translate(problem.message));
    throw new UserFacingError(more.length === 0 ? message : vscode.l10n.t('{0} ({1} more problem(s) are marked in the editor.)', message, more.length));
  }
  await confirmWarnings(check.warnings);
  const draft = check.draft;

  const ticket = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Submitting "{0}" to {1}…', draft.title, profile.name), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return backend.submit(draft, { signal: controller.signal });
    },
  );
  log.info(`submitted draft ${draftId} to ${profile.name} as #${ticket.id} (${ticket.status.native})`);
  await sources.linkSubmitted(draftId, profile.name, ticket);
  void progress.submitted(profile.name, ticket);
  // The ticket now lives in the tree: its draft closes (without a save prompt) and is deleted.
  await closeDraftEditors(draftId);
  await drafts.discard(document.uri);
  void tickets.look();
  // The submit is done once this is shown; the buttons are for later.
  if (ticket.status.state === 'failed') {
    void offerToClose(backend, profile, ticket, tickets);
    return;
  }
  const open = vscode.l10n.t('Open');
  const copy = vscode.l10n.t('Copy ID');
  void vscode.window.showInformationMessage(vscode.l10n.t('Ticket #{0} submitted — {1}', ticket.id, vscode.l10n.t(statusLabel(ticket.status))), open, copy).then(async (choice) => {
    if (choice === open) await openDetails(profile, ticket);
    else if (choice === copy) await vscode.env.clipboard.writeText(ticket.id);
  });
}

/**
 * A ticket whose precheck failed is still open on the service: says what failed, and closes it or leaves it open as
 * the user chooses.
 */
async function offerToClose(backend: Backend, profile: ProfileConfig, ticket: TicketSummary, tickets: TicketsModel): Promise<void> {
  const detail = await backend.get(ticket.id).catch(() => undefined);
  const failed = failedChecks(detail?.precheck);
  const why = failed.join('; ') || detail?.execution?.message || ticket.status.native;
  const closing = closingAction(detail?.actions ?? ticket.actions);
  const close = vscode.l10n.t('Close Ticket');
  const keep = vscode.l10n.t('Keep Open');
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showWarningMessage(
    closing
      ? vscode.l10n.t('The precheck of ticket #{0} failed: {1}. It stays open on {2} until you close it.', ticket.id, why, profile.name)
      : vscode.l10n.t('The precheck of ticket #{0} failed: {1}.', ticket.id, why),
    ...(closing ? [close, keep] : []),
    open,
  );
  if (choice === open) await openDetails(profile, ticket);
  if (choice !== close || !closing) return;
  try {
    const closed = await tickets.act(profile.name, ticket.id, () => backend.act(ticket.id, { action: closing, comment: 'Closed because its precheck failed.' }));
    void vscode.window.showInformationMessage(vscode.l10n.t('Ticket #{0}: {1}', closed.id, vscode.l10n.t(statusLabel(closed.status))));
  } catch (error) {
    await showError(error, vscode.l10n.t('Close ticket #{0}', ticket.id));
  }
}

function openDetails(profile: ProfileConfig, ticket: TicketSummary): Thenable<unknown> {
  return vscode.commands.executeCommand(CommandIds.openDetails, { type: 'ticket', profile, ticket } satisfies TreeNode);
}

/** "Line 3: …" for a message about a line of the draft. */
function atLine(line: number | undefined, message: string): string {
  return line ? vscode.l10n.t('Line {0}: {1}', line, message) : message;
}

/** Warnings need the user's go-ahead (errors never reach here: the draft's check refuses them). Both are marked in the editor. */
async function confirmWarnings(warnings: readonly DraftWarning[]): Promise<void> {
  if (warnings.length === 0) return;
  const submit = vscode.l10n.t('Submit Anyway');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('The draft has {0} warning(s). Submit it anyway?', warnings.length),
    { modal: true, detail: warnings.map((w) => `• ${w.message}`).join('\n') },
    submit,
  );
  if (answer !== submit) throw new CancelledByUser();
}
