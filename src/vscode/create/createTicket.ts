import * as vscode from 'vscode';
import { localProfile, type ProfileConfig } from '../../backends/profiles';
import { renderDraftDocument } from '../../core/draft/draftDocument';
import { suggestTitle } from '../../core/draft/suggestTitle';
import type { TicketKind } from '../../core/model/ticketKind';
import { analyzeSql } from '../../core/rules/analyzeSql';
import { checkTicketKind } from '../../core/rules/kindRules';
import type { Backends } from '../profiles/backends';
import type { Drafts } from '../drafts/drafts';
import { log, UserFacingError } from '../shared/log';
import type { SourceTickets } from '../tickets/sourceTickets';
import { dialectOf } from '../diagnostics/sqlDialect';
import { sqlFromEditor } from './sqlSource';
import { type CreateAnswers, createSteps, useProfile } from './createFlow';
import { MultiStepInput } from '../shared/multiStepInput';
import type { RememberedAnswers } from './rememberedAnswers';

/** Which entry point started a create; recorded in the log. */
export type CreateEntryPoint = 'editorContext' | 'paletteOrViewTitle';

export interface CreateContext {
  backends: Backends;
  drafts: Drafts;
  remembered: RememberedAnswers;
  sources: SourceTickets;
}

/**
 * The one create path behind every entry point (editor context menu, command palette, the view's title bar):
 * take the SQL, ask the create flow's questions (the kind only when the command did not name one, and only kinds
 * the SQL can be), and open the answers as a draft document for review and submit.
 */
export async function createTicket(context: CreateContext, kind: TicketKind | undefined, uri?: unknown): Promise<vscode.TextDocument> {
  const invokedOn = uri instanceof vscode.Uri ? uri : undefined;
  const entryPoint: CreateEntryPoint = invokedOn ? 'editorContext' : 'paletteOrViewTitle';
  const source = await sqlFromEditor(invokedOn);
  const dialect = dialectOf(source.document.languageId);
  // Analysed at the selection's place, so a refusal names the line of the file ("line 8"), not of the selection.
  const analysis = analyzeSql(source.sql, { dialect, start: { line: source.range.start.line + 1, column: source.range.start.character + 1 } });
  if (kind) {
    const [violation] = checkTicketKind(kind, analysis.statements);
    if (violation) throw new UserFacingError(violation.message);
  } else if (!analysis.ticketKind) {
    throw new UserFacingError(vscode.l10n.t('This SQL cannot become a ticket: {0}.', analysis.reason));
  }
  log.info(`create ${kind ?? 'ticket'} from ${entryPoint}: ${source.document.uri.toString()} ${formatRange(source.range)}`);

  const { backends, remembered } = context;
  const profiles = backends.profiles();
  const state: CreateAnswers = {
    sql: source.sql,
    statements: analysis.statements,
    inferred: { kind: analysis.ticketKind, reason: analysis.reason },
    kind: kind ?? analysis.ticketKind ?? undefined,
    kindReason: kind ? vscode.l10n.t('chosen by command') : vscode.l10n.t('inferred: {0}', analysis.reason),
    database: '',
    title: suggestTitle(analysis.statements, dialect),
    reason: '',
    stakeholders: [],
    attachments: [],
  };
  // A default profile that cannot be opened is only fatal when there is no other to choose in the flow.
  await useProfile(state, defaultProfile(profiles, remembered), backends).catch((error: unknown) => {
    if (profiles.length < 2) throw error;
    log.warn(`create: default profile unavailable: ${error instanceof Error ? error.message : String(error)}`);
  });
  const answers = await MultiStepInput.run(vscode.l10n.t('Create Ticket'), createSteps(backends, profiles, remembered, !kind), state);
  const profile = answers.profile ?? localProfile;
  await remembered.remember(profile.name, answers);

  const content = renderDraftDocument(
    {
      kind: answers.kind!,
      kindReason: answers.kindReason,
      profile: profile.name,
      database: answers.database,
      title: answers.title.trim(),
      reason: answers.reason.trim(),
      stakeholders: answers.stakeholders,
      estimatedRows: answers.estimatedRows,
      attachments: answers.backend?.capabilities.attachments ? answers.attachments : undefined,
    },
    source.sql,
  );
  const draft = await context.drafts.create(content, answers.title);
  await context.sources.noteDraft(context.drafts.idOf(draft.uri)!, source.document, source.sql);
  return draft;
}

/** The profile offered first: the one used last, else the `defaultProfile` setting, else Local. */
export function defaultProfile(profiles: ProfileConfig[], remembered: RememberedAnswers): ProfileConfig {
  const setting = vscode.workspace.getConfiguration('dbTickets').get<string>('defaultProfile');
  const byName = (name: string | undefined) => profiles.find((profile) => profile.name === name);
  return byName(remembered.profile()) ?? byName(setting) ?? byName(localProfile.name) ?? profiles[0];
}

function formatRange(range: vscode.Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}
