import * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { BackendCapabilities, TicketAction, TicketSummary } from '../../core/backend/backend';
import { statusLabel } from '../../core/model/ticketStatus';
import type { Backends } from '../profiles/backends';
import { CancelledByUser, UserFacingError } from '../shared/log';
import type { TicketsModel } from './ticketsModel';

/** The ticket a command acts on, whatever invoked it. */
export interface TicketTarget {
  profile: ProfileConfig;
  ticket: TicketSummary;
  capabilities?: BackendCapabilities;
}

/** A ticket named by profile and id: what CodeLenses, details panels and notifications pass to commands. */
export interface TicketRef {
  profile: string;
  id: string;
}

function isTarget(arg: unknown): arg is TicketTarget {
  const value = arg as Partial<TicketTarget> | undefined;
  return typeof value?.profile === 'object' && typeof value.ticket?.id === 'string';
}

function isRef(arg: unknown): arg is TicketRef {
  const value = arg as Partial<TicketRef> | undefined;
  return typeof value?.profile === 'string' && typeof value.id === 'string';
}

/**
 * The one normaliser of ticket command arguments: a Tickets tree item (or anything with a profile and a ticket), a
 * `TicketRef`, or nothing — from the command palette, where the user picks among the loaded tickets that allow `action`.
 */
export async function ticketArgument(arg: unknown, context: { backends: Backends; tickets: TicketsModel }, action?: TicketAction): Promise<TicketTarget> {
  if (isTarget(arg)) return arg;
  if (isRef(arg)) {
    const profile = context.backends.profile(arg.profile);
    const ticket = context.tickets.find(arg.profile, arg.id) ?? (await (await context.backends.get(profile)).get(arg.id));
    return { profile, ticket };
  }
  if (arg !== undefined) throw new UserFacingError(vscode.l10n.t('No ticket was chosen. Run this from a ticket in the Tickets view.'));
  return pickTicket(context, action);
}

async function pickTicket({ backends, tickets }: { backends: Backends; tickets: TicketsModel }, action: TicketAction | undefined): Promise<TicketTarget> {
  await tickets.load();
  const candidates = tickets.all().filter(({ ticket }) => !action || ticket.actions.includes(action));
  if (candidates.length === 0) {
    throw new UserFacingError(
      action ? vscode.l10n.t('No ticket in the Tickets view allows "{0}" now.', vscode.l10n.t(action)) : vscode.l10n.t('There are no tickets yet: create one from SQL first.'),
    );
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((candidate) => ({
      label: `#${candidate.ticket.id} ${candidate.ticket.title}`,
      description: `${candidate.profile} · ${vscode.l10n.t(statusLabel(candidate.ticket.status))}`,
      candidate,
    })),
    { placeHolder: vscode.l10n.t('Which ticket?'), matchOnDescription: true, ignoreFocusOut: true },
  );
  if (!picked) throw new CancelledByUser();
  return { profile: backends.profile(picked.candidate.profile), ticket: picked.candidate.ticket };
}
