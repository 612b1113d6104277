import { DbTicketsError } from '../errors';

/**
 * A ticket id as typed: "12" or "#12", trimmed. `numeric` services (DMS orders) refuse anything but digits, naming the
 * service; others take any non-blank id.
 */
export function parseTicketId(raw: string, numeric?: { service: string }): string {
  const id = raw.trim().replace(/^#/, '').trim();
  if (id === '') throw new DbTicketsError('usage', 'The ticket id is empty: pass the id shown by `db-tickets list`, e.g. 12.');
  if (numeric && !/^\d+$/.test(id)) throw new DbTicketsError('usage', `"${raw}" is not a ${numeric.service} ticket id: ${numeric.service} ticket ids are numbers, e.g. 12345.`);
  return id;
}
