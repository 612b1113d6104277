import { type TicketState, ticketStateLabels } from '../core/model/ticketStatus';
import { type Colour, paint } from './terminalText';

const colourOf: Partial<Record<TicketState, Colour>> = {
  succeeded: 'green',
  approved: 'green',
  failed: 'red',
  rejected: 'red',
  cancelled: 'dim',
  pending_approval: 'yellow',
  needs_you: 'yellow',
  prechecking: 'yellow',
  executing: 'yellow',
};
const colourOfLabel = new Map(Object.entries(colourOf).map(([state, colour]) => [ticketStateLabels[state as TicketState], colour]));

/** Colours the status that ends a ticket's summary line (`#12 Export customers — succeeded [SUCCESS]`) when `on`. */
export function paintStatuses(text: string, on: boolean): string {
  if (!on) return text;
  return text.replace(/ — ([a-z ]+)(?=(?: \[[^\]\n]*\])?$)/gm, (whole, label: string) => {
    const colour = colourOfLabel.get(label);
    return colour ? ` — ${paint(true, colour, label)}` : whole;
  });
}
