import type { Backend, OperationContext, TicketHeadline } from './backend';

/** The ticket's title and state: through the backend's status call where it has one, else from its detail. */
export async function ticketHeadline(backend: Backend, id: string, ctx?: OperationContext): Promise<TicketHeadline> {
  if (backend.status) return backend.status(id, ctx);
  const detail = await backend.get(id, ctx);
  return { id: detail.id, title: detail.title, status: detail.status, updatedAt: detail.updatedAt };
}
