import * as z from '../core/zod';

/** The arguments several tools share, described once. */
export const profileArgument = () =>
  z.optional(z.string()).check(z.describe('The backend profile (ticket service) to use, by name, e.g. "Local". Default: the configured default profile. A wrong name is answered with the configured ones.'));

export const ticketIdArgument = () =>
  z.string({ error: 'give the ticket id as text, e.g. "12"' }).check(z.minLength(1, 'the ticket id is empty'), z.describe('The ticket id as list_tickets shows it, e.g. "12" (a leading # is allowed).'));
