import { DbTicketsError } from '../errors';
import type { BackendCapabilities, TicketAction } from './backend';

/** Refuses an action the backend does not declare, naming those it has; `hint` says where the user can do it instead. */
export function requireDeclared(capabilities: Pick<BackendCapabilities, 'actions'>, action: TicketAction, service: string, hint = ''): void {
  if (capabilities.actions.includes(action)) return;
  throw new DbTicketsError('usage', `${service} has no "${action}" action for tickets: its actions are ${capabilities.actions.join(', ')}.${hint ? ` ${hint}` : ''}`);
}

/** The action that ends a ticket nobody will go on with: close where the service has it, else cancel. */
export function closingAction(actions: readonly TicketAction[]): 'close' | 'cancel' | undefined {
  return actions.includes('close') ? 'close' : actions.includes('cancel') ? 'cancel' : undefined;
}
