/** Every command the extension contributes; package.json declares exactly these (checked by a test). */
export const CommandIds = {
  createTicket: 'dbTickets.createTicket',
  createDataExportTicket: 'dbTickets.createDataExportTicket',
  createSchemaChangeTicket: 'dbTickets.createSchemaChangeTicket',
  submitDraft: 'dbTickets.submitDraft',
  openDraft: 'dbTickets.openDraft',
  discardDraft: 'dbTickets.discardDraft',
  refresh: 'dbTickets.refresh',
  loadMore: 'dbTickets.loadMore',
  openDetails: 'dbTickets.openDetails',
  approve: 'dbTickets.approve',
  reject: 'dbTickets.reject',
  execute: 'dbTickets.execute',
  cancel: 'dbTickets.cancel',
  close: 'dbTickets.close',
  urge: 'dbTickets.urge',
  reopen: 'dbTickets.reopen',
  deleteTicket: 'dbTickets.deleteTicket',
  transfer: 'dbTickets.transfer',
  comment: 'dbTickets.comment',
  download: 'dbTickets.download',
  downloadAttachment: 'dbTickets.downloadAttachment',
  redraft: 'dbTickets.redraft',
  openInBrowser: 'dbTickets.openInBrowser',
  copyId: 'dbTickets.copyId',
  addProfile: 'dbTickets.addProfile',
  editProfile: 'dbTickets.editProfile',
  removeProfile: 'dbTickets.removeProfile',
  checkProfile: 'dbTickets.checkProfile',
  addConnection: 'dbTickets.addConnection',
  editConnection: 'dbTickets.editConnection',
  removeConnection: 'dbTickets.removeConnection',
  showLog: 'dbTickets.showLog',
  openDemo: 'dbTickets.openDemo',
  openCliGuide: 'dbTickets.openCliGuide',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewIds = {
  tickets: 'dbTickets.tickets',
} as const;
