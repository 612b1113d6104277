import { basename } from 'node:path';
import * as vscode from 'vscode';
import { localProfile } from '../backends/profiles';
import { draftFieldLabel, parseDraftDocument, readBackendFields, readEstimatedRows } from '../core/draft/draftDocument';
import { statusLabel } from '../core/model/ticketStatus';
import { TicketKind } from '../core/model/ticketKind';
import { validateDraft } from '../core/model/ticketDraft';
import { analyzeSql } from '../core/rules/analyzeSql';
import type { Risk } from '../core/rules/riskLints';
import { checkTicketKind } from '../core/rules/kindRules';
import type { Backends } from './backends';
import { CommandIds } from './commandIds';
import type { Drafts } from './drafts';
import { CancelledByUser, log, UserFacingError } from './log';
import type { SourceTickets } from './sourceTickets';
import { dialectOf } from './sqlDialect';
import type { TicketsTreeProvider, TreeNode } from './ticketsView';

export interface SubmitContext {
  backends: Backends;
  drafts: Drafts;
  tree: TicketsTreeProvider;
  sources: SourceTickets;
}

/**
 * Submits the draft in `uri` (or the active editor) to its profile's backend, with a cancellable progress
 * notification. A draft that cannot be submitted stays open, and the message says which line to fix.
 */
export async function submitDraft({ backends, drafts, tree, sources }: SubmitContext, uri?: unknown): Promise<void> {
  const document = uri instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
  const draftId = document && drafts.idOf(document.uri);
  if (!document || !draftId) {
    throw new UserFacingError(vscode.l10n.t('This editor holds no ticket draft. Select SQL and run "Create Ticket from Selection…" to start one.'));
  }
  const parsed = parseDraftDocument(document.getText());
  const [unknown] = parsed.unknownFields;
  if (unknown) {
    throw new UserFacingError(
      vscode.l10n.t('Line {0} of the draft names no field "{1}": use Kind, Profile, Database, Title, Reason, Stakeholders, Estimated rows, Attachments or Backend fields.', unknown.line, unknown.field),
    );
  }
  const kind = TicketKind.safeParse(parsed.kind);
  if (!kind.success) {
    throw new UserFacingError(vscode.l10n.t('The draft\'s Kind line says "{0}": write DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE.', parsed.kind));
  }
  const { statements } = analyzeSql(parsed.sql, { dialect: dialectOf(document.languageId), ticketKind: kind.data });
  const [violation] = checkTicketKind(kind.data, statements);
  if (violation) throw new UserFacingError(violation.message);
  await confirmRisks(statements.flatMap((statement) => statement.risks));
  const estimatedRows = readEstimatedRows(parsed.estimatedRows);
  const backendFields = readBackendFields(parsed.backendFields);
  if (!backendFields.ok) {
    throw new UserFacingError(
      vscode.l10n.t(
        'Line {0} of the draft ("-- Backend fields:") is not valid: {1}. Write the fields as JSON, e.g. {"resubmitOf": "12"}, or remove the line.',
        parsed.lines.backendFields ?? 0,
        backendFields.reason,
      ),
    );
  }
  const validation = validateDraft({
    id: draftId,
    title: parsed.title,
    kind: kind.data,
    sql: parsed.sql,
    database: parsed.database,
    reason: parsed.reason,
    stakeholders: parsed.stakeholders,
    // NaN is not a whole number: the schema reports it with its message.
    estimatedRows,
    attachments: parsed.attachments.map((path) => ({ name: basename(path), path })),
    backendFields: backendFields.fields,
  });
  if (!validation.ok) {
    const [problem] = validation.problems;
    const line = draftFieldLabel(problem.field.split('.')[0]);
    throw new UserFacingError(line ? vscode.l10n.t('{0} (the draft\'s "-- {1}:" line)', problem.message, line) : problem.message);
  }
  const profiles = backends.profiles();
  const profile = profiles.find((p) => p.name === (parsed.profile || localProfile.name));
  if (!profile) {
    const known = profiles.map((p) => p.name).join(', ');
    throw new UserFacingError(vscode.l10n.t('The draft\'s Profile "{0}" is not configured: use one of {1}.', parsed.profile, known));
  }

  const ticket = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Submitting "{0}" to {1}…', validation.draft.title, profile.name), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const backend = await backends.get(profile);
      return backend.submit(validation.draft, { signal: controller.signal });
    },
  );
  log.info(`submitted draft ${draftId} to ${profile.name} as #${ticket.id} (${ticket.status.native})`);
  await sources.linkSubmitted(draftId, profile.name, ticket);
  await closeDraft(document);
  await drafts.discard(document.uri);
  tree.refresh();
  const open = vscode.l10n.t('Open');
  const copy = vscode.l10n.t('Copy ID');
  const message = vscode.l10n.t('Ticket #{0} submitted — {1}', ticket.id, vscode.l10n.t(statusLabel(ticket.status)));
  const show = ticket.status.state === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  // The submit is done once this is shown; the buttons are for later.
  void show(message, open, copy).then(async (choice) => {
    if (choice === open) await vscode.commands.executeCommand(CommandIds.openDetails, { type: 'ticket', profile, ticket } satisfies TreeNode);
    else if (choice === copy) await vscode.env.clipboard.writeText(ticket.id);
  });
}

/** The ticket now lives in the tree: close its draft (without a save prompt) before deleting it. */
async function closeDraft(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Errors block the submit; warnings need the user's go-ahead. Both are also marked in the editor. */
async function confirmRisks(risks: readonly Risk[]): Promise<void> {
  const errors = risks.filter((risk) => risk.severity === 'error');
  if (errors.length > 0) {
    throw new UserFacingError(
      vscode.l10n.t('The draft has {0} risk(s) that block it: {1} Fix them in the draft (they are marked in the editor), then submit again.', errors.length, errors[0].message),
    );
  }
  const warnings = risks.filter((risk) => risk.severity === 'warning');
  if (warnings.length === 0) return;
  const submit = vscode.l10n.t('Submit Anyway');
  const answer = await vscode.window.showWarningMessage(
    vscode.l10n.t('The draft has {0} warning(s). Submit it anyway?', warnings.length),
    { modal: true, detail: warnings.map((w) => `• ${w.message}`).join('\n') },
    submit,
  );
  if (answer !== submit) throw new CancelledByUser();
}
