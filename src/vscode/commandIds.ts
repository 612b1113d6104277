/** Every command the extension contributes; package.json declares exactly these (checked by a test). */
export const CommandIds = {
  createTicket: 'dbTickets.createTicket',
  createDataExportTicket: 'dbTickets.createDataExportTicket',
  createSchemaChangeTicket: 'dbTickets.createSchemaChangeTicket',
  submitDraft: 'dbTickets.submitDraft',
  refresh: 'dbTickets.refresh',
  openDetails: 'dbTickets.openDetails',
  approve: 'dbTickets.approve',
  reject: 'dbTickets.reject',
  execute: 'dbTickets.execute',
  cancel: 'dbTickets.cancel',
  comment: 'dbTickets.comment',
  download: 'dbTickets.download',
  copyId: 'dbTickets.copyId',
  addProfile: 'dbTickets.addProfile',
  showLog: 'dbTickets.showLog',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
  tickets: 'dbTickets.tickets',
} as const;
