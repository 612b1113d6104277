import * as vscode from 'vscode';
import { localProfile } from '../../backends/profiles';
import { parseDraftDocument } from '../../core/draft/draftDocument';
import { TicketKind } from '../../core/model/ticketKind';
import { CommandIds } from '../commands/commandIds';
import type { Backends } from '../profiles/backends';
import { draftScheme } from './draftFiles';

/**
 * "Submit Ticket" above a draft's header, beside the editor-title button and Ctrl+Enter; and above its Kind line,
 * what the profile's service will make of that kind where users could expect otherwise (e.g. that approving a DMS
 * schema design ticket does not run its DDL).
 */
export function registerDraftCodeLens(context: vscode.ExtensionContext, backends: Backends): void {
  context.subscriptions.push(
    vscode.languages.registerCodeLensProvider(
      { scheme: draftScheme },
      {
        provideCodeLenses: async (document) => {
          const lenses = [
            new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
              title: `$(send) ${vscode.l10n.t('Submit Ticket')}`,
              tooltip: vscode.l10n.t('Submit this draft to its profile\'s backend (Ctrl+Enter)'),
              command: CommandIds.submitDraft,
              arguments: [document.uri],
            }),
          ];
          const note = await kindNote(backends, document.getText());
          // The note's first clause fits beside "Submit Ticket"; the whole note is the tooltip.
          if (note) lenses.push(new vscode.CodeLens(new vscode.Range(note.line, 0, note.line, 0), { title: `$(info) ${note.text.split(';')[0].replace(/\.$/, '')}`, tooltip: note.text, command: '' }));
          return lenses;
        },
      },
    ),
  );
}

async function kindNote(backends: Backends, text: string): Promise<{ line: number; text: string } | undefined> {
  const draft = parseDraftDocument(text);
  const kind = TicketKind.safeParse(draft.kind);
  const profile = backends.profiles().find((p) => p.name === (draft.profile || localProfile.name));
  if (!kind.success || !profile || !draft.lines.kind) return undefined;
  const backend = await backends.get(profile).catch(() => undefined);
  const note = backend?.capabilities.kindNotes?.[kind.data];
  return note ? { line: draft.lines.kind - 1, text: note } : undefined;
}
