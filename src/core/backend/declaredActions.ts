import { DbTicketsError } from '../errors';
import type { BackendCapabilities, TicketAction } from './backend';

/** Refuses an action the backend does not declare, naming those it has; `hint` says where the user can do it instead. */
export function requireDeclared(capabilities: Pick<BackendCapabilities, 'actions'>, action: TicketAction, service: string, hint = ''): void {
  if (capabilities.actions.includes(action)) return;
  throw new DbTicketsError('usage', `${service} has no "${action}" action for tickets: its actions are ${capabilities.actions.join(', ')}.${hint ? ` ${hint}` : ''}`);
}
