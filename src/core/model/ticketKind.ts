import * as z from '../zod';

/** What a ticket asks for. Backends map these to their native ticket types. */
export const TicketKind = z.lazySchema(() => z.enum(['DATA_EXPORT', 'SCHEMA_CHANGE', 'DATA_CHANGE']));
export type TicketKind = z.infer<typeof TicketKind>;

