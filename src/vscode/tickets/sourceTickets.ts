import * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { TicketSummary } from '../../core/backend/backend';
import { statusLabel } from '../../core/model/ticketStatus';
import { seenKey } from '../../core/tracking/transitions';
import type { Backends } from '../profiles/backends';
import { CommandIds } from '../commands/commandIds';
import type { TicketRef } from './ticketArgument';
import type { TicketsModel } from './ticketsModel';

/** The file and SQL a draft was made from. */
interface Source {
  uri: string;
  sql: string;
}

/** A submitted ticket and the file its SQL came from. */
interface SourceLink extends Source {
  profile: string;
  id: string;
}

const draftsKey = 'dbTickets.draftSources';
const linksKey = 'dbTickets.sourceTickets';
/** The newest links kept: enough for months of tickets, small enough for global state. */
const keepLinks = 200;
const keepDrafts = 50;

/**
 * Shows, above the SQL a ticket was made from, the ticket and its status (`#12 · pending approval`), as blame
 * annotations do for code: a CodeLens that follows the SQL wherever it moves in the file and opens the details.
 * Drafts remember their source file; a submit turns that into a link. Statuses come from the tickets model's changes,
 * as the tree's and the details panels' do.
 */
export class SourceTickets implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly known = new Map<string, TicketSummary>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly backends: Backends,
    tickets: TicketsModel,
  ) {
    this.subscription = tickets.onDidChange((change) => {
      // Only linked tickets matter, and the lenses are asked for again only when one of them changed state.
      const linked = new Set(this.links().map((link) => seenKey(link.profile, link.id)));
      let changed = false;
      for (const { profile, ticket } of change.tickets) {
        const key = seenKey(profile, ticket.id);
        if (!linked.has(key)) continue;
        const before = this.known.get(key);
        changed ||= !before || statusLabel(before.status) !== statusLabel(ticket.status);
        this.known.set(key, ticket);
      }
      if (changed) this.changed.fire();
    });
  }

  /** Notes where a new draft's SQL came from; only files, as an untitled document's name is not kept. */
  async noteDraft(draftId: string, document: vscode.TextDocument, sql: string): Promise<void> {
    if (document.uri.scheme !== 'file') return;
    const drafts = Object.entries(this.memento.get<Record<string, Source>>(draftsKey) ?? {}).slice(-(keepDrafts - 1));
    await this.memento.update(draftsKey, Object.fromEntries([...drafts, [draftId, { uri: document.uri.toString(), sql }]]));
  }

  /** Links the ticket a draft became to the draft's source file, if it has one. */
  async linkSubmitted(draftId: string, profile: string, ticket: TicketSummary): Promise<void> {
    const drafts = { ...this.memento.get<Record<string, Source>>(draftsKey) };
    const source = drafts[draftId];
    if (!source) return;
    delete drafts[draftId];
    await this.memento.update(draftsKey, drafts);
    await this.memento.update(linksKey, [...this.links(), { ...source, profile, id: ticket.id }].slice(-keepLinks));
    this.known.set(seenKey(profile, ticket.id), ticket);
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const uri = document.uri.toString();
    const links = this.links().filter((link) => link.uri === uri);
    if (links.length === 0) return [];
    let profiles: ProfileConfig[];
    try {
      profiles = this.backends.profiles();
    } catch {
      return []; // invalid settings: the Tickets view says what is wrong
    }
    const text = document.getText();
    return links.flatMap((link) => {
      const at = text.indexOf(link.sql.trim());
      const profile = profiles.find((p) => p.name === link.profile);
      if (at < 0 || !profile) return [];
      const ticket = this.known.get(seenKey(link.profile, link.id));
      const line = document.positionAt(at).line;
      return [
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: ticket ? `$(database) #${link.id} · ${vscode.l10n.t(statusLabel(ticket.status))}` : `$(database) #${link.id}`,
          tooltip: vscode.l10n.t('Ticket #{0} of profile "{1}", made from this SQL: open its details', link.id, link.profile),
          command: CommandIds.openDetails,
          arguments: [ticket ? { profile, ticket } : ({ profile: link.profile, id: link.id } satisfies TicketRef)],
        }),
      ];
    });
  }

  private links(): SourceLink[] {
    return this.memento.get<SourceLink[]>(linksKey) ?? [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
