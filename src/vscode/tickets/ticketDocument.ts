import * as vscode from 'vscode';
import { formatDetail } from '../../core/backend/ticketText';
import type { Backends } from '../profiles/backends';

export const ticketScheme = 'db-tickets-ticket';

/** `db-tickets-ticket:/<profile>/<id>.txt`: a ticket as read-only text, the same as `db-tickets show`. */
export function ticketUri(profile: string, id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: ticketScheme, path: `/${encodeURIComponent(profile)}/${encodeURIComponent(id)}.txt` });
}

export class TicketDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly backends: Backends) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const [, profileName, file] = uri.path.split('/');
    const id = decodeURIComponent(file.replace(/\.txt$/, ''));
    const profile = this.backends.profiles().find((p) => p.name === decodeURIComponent(profileName));
    if (!profile) return vscode.l10n.t('The profile "{0}" is no longer configured.', decodeURIComponent(profileName));
    const backend = await this.backends.get(profile);
    return formatDetail(await backend.get(id));
  }
}
