import type {
  ActionRequest,
  Backend,
  BackendCapabilities,
  BackendCheck,
  DatabaseRef,
  DownloadResult,
  ListFilter,
  OperationContext,
  ProfileChoice,
  Page,
  PageRequest,
  TicketDetail,
  TicketHeadline,
  TicketSummary,
  UserRef,
} from '../../core/backend/backend';
import { redraftOf } from '../../core/backend/redraft';
import { parseTicketId } from '../../core/backend/ticketIds';
import { DbTicketsError } from '../../core/errors';
import { requireValidDraft, type TicketDraft } from '../../core/model/ticketDraft';
import type { TicketState } from '../../core/model/ticketStatus';
import { statusLabel } from '../../core/model/ticketStatus';
import type { HttpClient } from '../../net/httpClient';
import type { Identity, ZStackSession } from './session';
import { type Json, ZStackClient, ZStackOutcomeUnknown } from './zstackClient';
import type { ZStackProfile } from './zstackProfile';
import {
  actionsFor,
  approvalSteps,
  descriptionOf,
  draftMarker,
  executionOf,
  historyEvents,
  isoDate,
  parseDescription,
  requestOf,
  statusOf,
  summaryOf,
  resubmitComment,
  ticketUuidOf,
  type Viewer,
  type ZsFlowCollection,
  type ZsHistory,
  type ZsRequestResult,
  type ZsTicket,
} from './zstackTickets';

export interface ZStackBackendOptions {
  profile: ZStackProfile;
  client: ZStackClient;
  session: ZStackSession;
  http: HttpClient;
}

const descriptionMax = 2048;
/** How long a virtual ID's display name, once read, serves this process. */
const nameTtlMs = 10 * 60_000;
const statusEvents = { approve: 'approve', reject: 'reject', cancel: 'cancel', reopen: 'reopen' } as const;

/** ZStack Cloud tickets (工单): IAM2 tickets whose request runs a ZStack API once the approval flow approves it. */
export class ZStackBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    kinds: ['DATA_CHANGE', 'SCHEMA_CHANGE', 'DATA_EXPORT'],
    actions: ['approve', 'reject', 'cancel', 'reopen', 'delete'],
    kindAllowances: { DATA_CHANGE: ['ddl'] },
    listScopes: ['all', 'awaiting_me'],
    searchDatabases: false,
    searchUsers: false,
    download: false,
    attachments: false,
    webConsole: false,
  };
  private collections?: Promise<ZsFlowCollection[]>;
  /** Display names of virtual IDs, with when each was read. */
  private readonly knownNames = new Map<string, { name: string; at: number }>();

  constructor(private readonly options: ZStackBackendOptions) {}

  private get client(): ZStackClient {
    return this.options.client;
  }

  private get profile(): ZStackProfile {
    return this.options.profile;
  }

  /**
   * Creates the ticket once per draft: its uuid is derived from the draft id, and ZStack refuses a second ticket with it,
   * so the create is sent at once and a refused one looks the ticket up by uuid (no list lag) — an earlier submit of the
   * draft made it. The create carries its own job uuid, so a lost answer is recovered by polling that job, never by
   * sending it again. A re-submit into a cancelled ticket looks first, as it changes a ticket that exists.
   */
  async submit(input: TicketDraft, ctx: OperationContext = {}): Promise<TicketSummary> {
    const draft = requireValidDraft(input);
    const template = this.profile.request;
    if (!template) throw await this.noTemplate(ctx);
    const identity = await this.options.session.identity(ctx.signal);
    const project = identity.kind === 'iam2' ? await this.options.session.project(ctx.signal) : undefined;
    if (!project) {
      throw new DbTicketsError('config', `Profile "${this.profile.name}" logs in as ${identity.kind === 'iam2' ? 'a virtual ID without a project' : `an ${identity.kind === 'user' ? 'account user' : 'account'}`}: ZStack files tickets for an IAM2 virtual ID in a project. Set "loginAs": "iam2", "username" to the virtual ID and "project" to submit; this profile can still list, approve and reject.`);
    }
    const description = descriptionOf(draft);
    if (description.length > descriptionMax) {
      throw new DbTicketsError('usage', `The SQL of "${draft.title}" is too long for a ZStack ticket (its description holds at most ${descriptionMax} characters with the kind, database and reason; this one needs ${description.length}): shorten the SQL or split it into several tickets.`);
    }
    const marker = draftMarker(draft.id);
    const uuid = ticketUuidOf(draft.id);
    const replaces = draft.backendFields.resubmitOf;
    if (typeof replaces === 'string' && replaces.trim()) {
      const existing = await this.ticketByUuid(uuid, ctx);
      if (existing) return this.summaryOf(existing, ctx);
      const updated = await this.resubmitInPlace(replaces.trim(), draft, template, identity, description, ctx);
      if (updated) return updated;
    }

    ctx.onProgress?.({ message: 'Creating the ZStack ticket' });
    const params: Json = {
      name: draft.title.trim(),
      description,
      resourceUuid: uuid,
      requests: [requestOf(template, draft)],
      accountSystemType: 'iam2',
      accountSystemContext: { projectUuid: project.uuid, virtualIDUuid: identity.uuid },
      ...(this.profile.flowCollectionUuid ? { flowCollectionUuid: this.profile.flowCollectionUuid } : {}),
    };
    let created: Json;
    try {
      created = await this.client.write('CreateTicket', 'POST', '/tickets', { params, systemTags: [], userTags: [] }, {
        signal: ctx.signal,
        action: `creating ticket "${draft.title}"`,
        beforeResend: async () => {
          ctx.onProgress?.({ message: 'No clear answer from ZStack: looking for the ticket before sending again' });
          const found = await this.ticketByUuid(uuid, ctx);
          return found ? { inventory: found } : undefined;
        },
      });
    } catch (error) {
      if (!(error instanceof ZStackOutcomeUnknown)) {
        // Refused: most often because an earlier submit of this draft made the ticket already.
        if (!(error instanceof DbTicketsError) || error.kind === 'cancelled') throw error;
        const earlier = await this.ticketByUuid(uuid, ctx).catch(() => undefined);
        if (earlier) return this.summaryOf(earlier, ctx);
        throw error;
      }
      const found = await this.ticketByUuid(uuid, ctx);
      if (found) return this.summaryOf(found, ctx);
      throw ZStackClient.unknownOutcome(
        error,
        `creating ticket "${draft.title}"`,
        `in a few minutes look for it with \`db-tickets list\` (its description ends with ${marker}); only if it is not there, submit the same draft again, which looks for it first`,
      );
    }
    const inventory = created.inventory as ZsTicket | undefined;
    if (!inventory?.uuid) {
      const found = await this.ticketByUuid(uuid, ctx);
      if (found) return this.summaryOf(found, ctx);
      throw new DbTicketsError('unavailable', `ZStack accepted the ticket "${draft.title}" but returned no ticket: look for it with \`db-tickets list\` before submitting again.`);
    }
    return this.summaryOf(inventory, ctx);
  }

  async list(filter: ListFilter, page: PageRequest, ctx: OperationContext = {}): Promise<Page<TicketSummary>> {
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isInteger(start) || start < 0) throw new DbTicketsError('usage', `The cursor "${page.cursor}" is not one this ZStack profile gave: list again without it.`);
    const size = Math.min(Math.max(page.size, 1), 1000);
    const viewer = await this.viewer(ctx);
    const conditions = this.conditions(filter, viewer);
    if (conditions === 'none') return { items: [], total: 0 };
    const params: Array<[string, string]> = [...conditions.map((c): [string, string] => ['q', c]), ['sort', '-createDate'], ['limit', String(size)], ['start', String(start)], ['replyWithCount', 'true']];
    const { inventories, total } = await this.client.query<ZsTicket>('QueryTicket', '/tickets', params, { signal: ctx.signal, action: 'listing tickets' });
    const results = await this.resultsOf(inventories, ctx);
    const names = await this.names(inventories.map((t) => t.accountSystemContext?.virtualIDUuid), viewer.identity, ctx);
    const items = inventories
      .map((t) => summaryOf(t, viewer, results.get(t.uuid), names))
      .filter((t) => !filter.states?.length || filter.states.includes(t.status.state) || (t.needsYou && filter.states.includes('needs_you')));
    const next = start + inventories.length;
    return { items, total, nextCursor: total !== undefined ? (next < total ? String(next) : undefined) : inventories.length === size ? String(next) : undefined };
  }

  async get(id: string, ctx: OperationContext = {}): Promise<TicketDetail> {
    return this.detailOf(await this.ticket(parseTicketId(id), ctx), ctx);
  }

  /** QueryTicket alone, and its history's results once the ticket is FinalApproved (they tell succeeded from failed). */
  async status(id: string, ctx: OperationContext = {}): Promise<TicketHeadline> {
    const ticket = await this.ticket(parseTicketId(id), ctx);
    const results = await this.resultsOf([ticket], ctx);
    return { id: ticket.uuid, title: ticket.name ?? '(no name)', status: statusOf(ticket.status, results.get(ticket.uuid)), updatedAt: isoDate(ticket.lastOpDate ?? ticket.createDate) };
  }

  private async ticket(uuid: string, ctx: OperationContext): Promise<ZsTicket> {
    const { inventories } = await this.client.query<ZsTicket>('QueryTicket', `/tickets/${encodeURIComponent(uuid)}`, [], { signal: ctx.signal, action: `reading ticket #${uuid}` });
    const ticket = inventories[0];
    if (!ticket) throw new DbTicketsError('not_found', `ZStack has no ticket #${uuid} that ${this.profile.username} can see: check the id with \`db-tickets list\`.`);
    return ticket;
  }

  /** The detail of a ticket as QueryTicket (or a write's answer) gave it: its history and the names it mentions. */
  private async detailOf(ticket: ZsTicket, ctx: OperationContext): Promise<TicketDetail> {
    const uuid = ticket.uuid;
    const [viewer, history] = await Promise.all([this.viewer(ctx), this.history(uuid, ctx)]);
    const collection = await this.collection(ticket.flowCollectionUuid, ctx);
    const flows = collection?.flows ?? [];
    const names = await this.names([ticket.accountSystemContext?.virtualIDUuid, ...flows.map((f) => f.approverUuid), ...history.map((h) => h.operatorUuid)], viewer.identity, ctx);
    const execution = executionOf(history);
    const summary = summaryOf(ticket, viewer, lastResults(history), names);
    const parts = parseDescription(ticket.description);
    const steps = approvalSteps(ticket, flows, history, names);
    return {
      ...summary,
      sql: parts.sql,
      reason: parts.reason,
      stakeholders: [],
      approvals: steps,
      comments: history.filter((h) => h.comment).map((h) => ({ author: { id: h.operatorUuid ?? '', name: names.get(h.operatorUuid ?? '') ?? h.operatorUuid ?? '?' }, at: historyEvents([h], names)[0].at, text: h.comment! })),
      attachments: [],
      execution,
      history: historyEvents(history, names),
      approver: steps.filter((s) => s.actedBy).pop()?.actedBy,
    };
  }

  async act(id: string, request: ActionRequest, ctx: OperationContext = {}): Promise<TicketDetail> {
    const uuid = parseTicketId(id);
    if (request.action === 'comment') {
      throw new DbTicketsError('usage', 'ZStack keeps comments only with a status change: add yours with approve, reject, cancel or reopen (--comment).');
    }
    if (request.action === 'delete') return this.deleteTicket(uuid, ctx);
    if (!(request.action in statusEvents)) {
      throw new DbTicketsError('usage', `ZStack tickets have no "${request.action}" action: their actions are ${this.capabilities.actions.join(', ')}.`);
    }
    const event = statusEvents[request.action as keyof typeof statusEvents];
    // Whether the action applies needs the ticket and the flows only; the detail is read when it does not, to say why.
    const before = await this.ticket(uuid, ctx);
    const viewer = await this.viewer(ctx);
    if (!actionsFor(before, statusOf(before.status, undefined).state, viewer).actions.includes(request.action as 'approve')) {
      throw await this.notAllowed(await this.detailOf(before, ctx), request.action, ctx);
    }
    const what = `${gerund(event)} ticket #${uuid}`;
    let answer: Json;
    try {
      answer = await this.client.write('ChangeTicketStatus', 'PUT', `/tickets/${encodeURIComponent(uuid)}/actions`, { changeTicketStatus: { statusEvent: event, ...(request.comment?.trim() ? { comment: request.comment.trim() } : {}) }, systemTags: [], userTags: [] }, {
        signal: ctx.signal,
        action: what,
      });
    } catch (error) {
      if (error instanceof ZStackOutcomeUnknown) throw ZStackClient.unknownOutcome(error, what, `show it with \`db-tickets show ${uuid}\` and see its status`);
      throw error;
    }
    // ChangeTicketStatus answers the ticket as it is now.
    const after = answer.inventory as ZsTicket | undefined;
    return this.detailOf(after?.uuid === uuid ? after : await this.ticket(uuid, ctx), ctx);
  }

  /** DeleteTicket: the ticket and its history are gone; answers with the ticket as it was just before. */
  private async deleteTicket(uuid: string, ctx: OperationContext): Promise<TicketDetail> {
    const before = await this.get(uuid, ctx);
    if (!before.actions.includes('delete')) throw await this.notAllowed(before, 'delete', ctx);
    const what = `deleting ticket #${uuid}`;
    try {
      await this.client.write('DeleteTicket', 'DELETE', `/tickets/${encodeURIComponent(uuid)}`, undefined, { signal: ctx.signal, action: what });
    } catch (error) {
      if (error instanceof ZStackOutcomeUnknown) throw ZStackClient.unknownOutcome(error, what, `look for it with \`db-tickets show ${uuid}\`; deleting it again is harmless`);
      throw error;
    }
    return before;
  }

  /**
   * Re-submits a draft made from one of the user's cancelled tickets into that ticket: UpdateTicketRequest (new requests
   * and description, which carries the new draft's marker) and reopen, whose comment carries the marker too. Exactly
   * once on the draft id: a retry sees the marker in the description and in the history, and does only what is left.
   * Undefined when the ticket cannot take it (not found, not the user's, or not cancelled: ZStack updates only
   * cancelled tickets, and reopening a rejected one to cancel it would put the rejected requests before the approvers
   * again): then a new ticket is filed.
   */
  private async resubmitInPlace(id: string, draft: TicketDraft, template: NonNullable<ZStackProfile['request']>, identity: Identity, description: string, ctx: OperationContext): Promise<TicketSummary | undefined> {
    let ticket: ZsTicket | undefined;
    try {
      ticket = await this.ticketByUuid(parseTicketId(id), ctx);
    } catch (error) {
      if (error instanceof DbTicketsError && error.kind === 'usage') return undefined;
      throw error;
    }
    if (!ticket || ticket.accountSystemContext?.virtualIDUuid !== identity.uuid) return undefined;
    const marker = draftMarker(draft.id);
    const note = resubmitComment(draft.id);
    const updated = (ticket.description ?? '').endsWith(marker);
    if (!updated) {
      if (ticket.status !== 'Cancelled') return undefined;
      ctx.onProgress?.({ message: `Replacing the requests of ticket #${ticket.uuid}` });
      const what = `updating the requests of ticket #${ticket.uuid}`;
      try {
        await this.client.write('UpdateTicketRequest', 'PUT', `/tickets/${encodeURIComponent(ticket.uuid)}/actions`, { updateTicketRequest: { requests: [requestOf(template, draft)], description }, systemTags: [], userTags: [] }, { signal: ctx.signal, action: what });
      } catch (error) {
        if (error instanceof ZStackOutcomeUnknown) throw ZStackClient.unknownOutcome(error, what, 'submit the same draft again: it looks at the ticket first and does only what is left');
        throw error;
      }
    } else {
      const history = await this.history(ticket.uuid, ctx);
      if (history.some((h) => h.toStatus === 'Pending' && (h.comment ?? '').includes(marker)) || ticket.status !== 'Cancelled') return this.summaryOf(ticket, ctx);
    }
    ctx.onProgress?.({ message: `Reopening ticket #${ticket.uuid}` });
    const what = `reopening ticket #${ticket.uuid}`;
    let reopened: Json;
    try {
      reopened = await this.client.write('ChangeTicketStatus', 'PUT', `/tickets/${encodeURIComponent(ticket.uuid)}/actions`, { changeTicketStatus: { statusEvent: 'reopen', comment: note }, systemTags: [], userTags: [] }, { signal: ctx.signal, action: what });
    } catch (error) {
      if (error instanceof ZStackOutcomeUnknown) throw ZStackClient.unknownOutcome(error, what, 'submit the same draft again: it looks at the ticket first and does only what is left');
      throw error;
    }
    const inventory = reopened.inventory as ZsTicket | undefined;
    return this.summaryOf(inventory?.uuid ? inventory : ((await this.ticketByUuid(ticket.uuid, ctx)) ?? ticket), ctx);
  }

  async redraft(id: string, ctx: OperationContext = {}): Promise<TicketDraft> {
    return redraftOf(await this.get(id, ctx));
  }

  async download(id: string): Promise<DownloadResult> {
    throw new DbTicketsError('usage', `ZStack tickets have no result file to download (ticket #${parseTicketId(id)}): the outcome of the requests is in the ticket's history (db-tickets show).`);
  }

  async searchDatabases(): Promise<DatabaseRef[]> {
    return [];
  }

  async searchUsers(): Promise<UserRef[]> {
    return [];
  }

  async check(ctx: OperationContext = {}): Promise<BackendCheck> {
    const identity = await this.options.session.identity(ctx.signal);
    const facts: BackendCheck['facts'] = [];
    const warnings: string[] = [];
    const kindName = identity.kind === 'iam2' ? 'IAM2 virtual ID' : identity.kind === 'account' ? 'account' : `user of account ${this.profile.accountName}`;
    facts.push({ label: 'Identity', value: `${identity.name} (${kindName}, ${identity.uuid})` });
    const project = await this.options.session.project(ctx.signal);
    if (project) facts.push({ label: 'Project', value: `${project.name} (${project.uuid})` });
    const [types, collections] = await Promise.all([this.ticketTypes(ctx), this.flowCollections(ctx, true)]);
    const inProject = project ? collections.filter((c) => c.projectUuid === project.uuid) : collections;
    const chosen = this.profile.flowCollectionUuid ? collections.find((c) => c.uuid === this.profile.flowCollectionUuid) : (inProject.find((c) => c.isDefault && c.state !== 'Disabled') ?? undefined);
    if (chosen) {
      const steps = (chosen.flows ?? []).map((f) => f.name ?? f.uuid).join(' → ');
      facts.push({ label: 'Flow collection', value: `${chosen.name ?? '(no name)'} (${chosen.uuid})${this.profile.flowCollectionUuid ? '' : ', the project default'}${steps ? `: ${steps}` : ''}${chosen.state === 'Disabled' || chosen.status === 'Invalid' ? `, ${chosen.state}/${chosen.status}` : ''}` });
      if (chosen.state === 'Disabled' || chosen.status === 'Invalid') warnings.push(`Flow collection ${chosen.uuid} is ${chosen.state}/${chosen.status}: tickets will be refused; ask the administrator to fix it, or set another "flowCollectionUuid".`);
    } else if (this.profile.flowCollectionUuid) {
      warnings.push(`Flow collection ${this.profile.flowCollectionUuid} ("flowCollectionUuid") is not visible to ${identity.name}: correct it${inProject.length ? `; the project has ${inProject.map((c) => `${c.name} (${c.uuid})`).join(', ')}` : ''}.`);
    } else if (project) {
      warnings.push(`Project ${project.name} has no default flow collection: set "flowCollectionUuid"${inProject.length ? ` to one of ${inProject.map((c) => `${c.name} (${c.uuid})`).join(', ')}` : ''}, or ask the administrator for one.`);
    }
    facts.push({ label: 'Ticket types', value: types.length ? types.map((t) => `${t.name} (${t.requests ?? ''})`).join(', ') : 'none' });
    if (!this.profile.request) warnings.push(`Profile "${this.profile.name}" has no "request" template, so tickets cannot be submitted: add "request": {"apiName": …, "apiBody": {…}} with an API of one of these ticket types.`);
    else if (types.length && !types.some((t) => (t.requests ?? '').split(',').map((s) => s.trim()).includes(this.profile.request!.apiName.trim()))) {
      warnings.push(`No ticket type covers "request.apiName" ${this.profile.request.apiName}: tickets will be refused; use an API of one of the ticket types above.`);
    }
    if (identity.kind !== 'iam2') warnings.push('Only an IAM2 virtual ID in a project can submit tickets; this profile can list, approve and reject.');
    return { facts, warnings };
  }

  /** The approval flow collections the identity may file tickets through (its project's, where it has one). */
  async profileChoices(field: string, ctx: OperationContext = {}): Promise<ProfileChoice[]> {
    if (field === 'request') return this.requestTemplates(ctx);
    if (field !== 'flowCollectionUuid') return [];
    const project = await this.options.session.project(ctx.signal);
    const collections = (await this.flowCollections(ctx, true)).filter((c) => !project || c.projectUuid === project.uuid);
    return collections.map((c) => ({
      value: c.uuid,
      label: c.name ?? c.uuid,
      description: [(c.flows ?? []).map((f) => f.name ?? f.uuid).join(' → '), c.isDefault ? 'default' : '', c.state === 'Disabled' ? 'disabled' : ''].filter(Boolean).join(' · '),
    }));
  }

  /** A request template for each API of the server's ticket types: the draft's SQL and database in its body. */
  private async requestTemplates(ctx: OperationContext): Promise<ProfileChoice[]> {
    return (await this.ticketTypes(ctx)).flatMap((type) =>
      (type.requests ?? '')
        .split(',')
        .map((api) => api.trim())
        .filter(Boolean)
        .map((apiName) => ({
          value: JSON.stringify({ requestName: '{{title}}', apiName, apiBody: { database: '{{database}}', sql: '{{sql}}' }, executeTimes: 1 }),
          label: type.name ?? type.uuid,
          description: apiName,
        })),
    );
  }

  async dispose(): Promise<void> {
    try {
      await this.options.session.close();
    } finally {
      await this.options.http.close();
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  private async summaryOf(ticket: ZsTicket, ctx: OperationContext): Promise<TicketSummary> {
    const viewer = await this.viewer(ctx);
    const results = await this.resultsOf([ticket], ctx);
    const names = await this.names([ticket.accountSystemContext?.virtualIDUuid], viewer.identity, ctx);
    return summaryOf(ticket, viewer, results.get(ticket.uuid), names);
  }

  /** The ticket carrying `marker`; with `settleMs`, searched again until then, as new tickets reach lists late. */
  /** A ticket by its uuid, or undefined when ZStack has none the user can see. */
  private async ticketByUuid(uuid: string, ctx: OperationContext): Promise<ZsTicket | undefined> {
    const { inventories } = await this.client.query<ZsTicket>('QueryTicket', `/tickets/${uuid}`, [], { signal: ctx.signal, action: 'looking for the ticket of this draft' });
    return inventories[0];
  }

  private conditions(filter: ListFilter, viewer: Viewer): string[] | 'none' {
    const out: string[] = [];
    const myFlows = [...viewer.flows.values()].filter((f) => f.approverUuid === viewer.identity.uuid).map((f) => f.uuid);
    const awaiting = filter.scope === 'awaiting_me' || (filter.states?.length === 1 && filter.states[0] === 'needs_you');
    if (awaiting) {
      if (myFlows.length === 0) return 'none';
      out.push(`currentFlowUuid?=${myFlows.join(',')}`);
    }
    const states = filter.states ?? [];
    if (states.length > 0 && !states.includes('unknown')) {
      const natives = new Set<string>();
      const map: Partial<Record<TicketState, string[]>> = {
        pending_approval: ['Pending', 'IntermediateApproved'],
        needs_you: ['Pending', 'IntermediateApproved'],
        approved: ['FinalApproved'],
        executing: ['FinalApproved'],
        succeeded: ['FinalApproved'],
        failed: ['FinalApproved'],
        rejected: ['Rejected'],
        cancelled: ['Cancelled'],
      };
      for (const state of states) for (const native of map[state] ?? []) natives.add(native);
      if (natives.size === 0) return 'none';
      out.push(`status?=${[...natives].join(',')}`);
    }
    const text = filter.text?.trim();
    if (text) out.push(`name~=%${text}%`);
    return out;
  }

  /** The request results of FinalApproved tickets: one history query for the page. */
  private async resultsOf(tickets: ZsTicket[], ctx: OperationContext): Promise<Map<string, ZsRequestResult[]>> {
    const done = tickets.filter((t) => t.status === 'FinalApproved').map((t) => t.uuid);
    const out = new Map<string, ZsRequestResult[]>();
    if (done.length === 0) return out;
    const { inventories } = await this.client.query<ZsHistory>('QueryTicketHistory', '/tickets/histories', [['q', `ticketUuid?=${done.join(',')}`], ['q', 'toStatus=FinalApproved'], ['sort', 'sequence']], { signal: ctx.signal, action: 'reading request results' });
    for (const h of inventories) {
      const results = h.operationContext?.requestResults;
      if (results?.length) out.set(h.ticketUuid, results);
    }
    return out;
  }

  private async history(uuid: string, ctx: OperationContext): Promise<ZsHistory[]> {
    const { inventories } = await this.client.query<ZsHistory>('QueryTicketHistory', '/tickets/histories', [['q', `ticketUuid=${uuid}`], ['sort', 'sequence']], { signal: ctx.signal, action: `reading the history of ticket #${uuid}` });
    return [...inventories].sort((a, b) => Number(a.sequence ?? 0) - Number(b.sequence ?? 0));
  }

  private async viewer(ctx: OperationContext): Promise<Viewer> {
    const [identity, collections] = await Promise.all([this.options.session.identity(ctx.signal), this.flowCollections(ctx)]);
    const flows = new Map<string, NonNullable<ZsFlowCollection['flows']>[number] & { collectionUuid: string }>();
    for (const c of collections) for (const f of c.flows ?? []) flows.set(f.uuid, { ...f, collectionUuid: c.uuid });
    return { identity, flows };
  }

  private flowCollections(ctx: OperationContext, fresh = false): Promise<ZsFlowCollection[]> {
    if (!this.collections || fresh) {
      this.collections = this.client
        .query<ZsFlowCollection>('QueryTicketFlowCollection', '/tickets/flow-collections', [['limit', '1000']], { signal: ctx.signal, action: 'reading the approval flows' })
        .then((r) => r.inventories);
      this.collections.catch(() => (this.collections = undefined));
    }
    return this.collections;
  }

  private async collection(uuid: string | undefined, ctx: OperationContext): Promise<ZsFlowCollection | undefined> {
    if (!uuid) return undefined;
    return (await this.flowCollections(ctx)).find((c) => c.uuid === uuid) ?? (await this.flowCollections(ctx, true)).find((c) => c.uuid === uuid);
  }

  private async ticketTypes(ctx: OperationContext): Promise<Array<{ uuid: string; name?: string; requests?: string }>> {
    return (await this.client.query<{ uuid: string; name?: string; requests?: string }>('QueryTicketType', '/ticket-types', [], { signal: ctx.signal, action: 'reading the ticket types' })).inventories;
  }

  /**
   * Display names of virtual IDs: those read in the last minutes from memory, the others in one query for all of them;
   * any still unknown keep their uuid.
   */
  private async names(uuids: Array<string | undefined>, me: Identity, ctx: OperationContext): Promise<Map<string, string>> {
    const names = new Map<string, string>([[me.uuid, me.name]]);
    const now = Date.now();
    for (const uuid of uuids) {
      const known = uuid ? this.knownNames.get(uuid) : undefined;
      if (uuid && known && now - known.at < nameTtlMs) names.set(uuid, known.name);
    }
    const wanted = [...new Set(uuids.filter((u): u is string => !!u && !names.has(u)))];
    if (wanted.length === 0) return names;
    try {
      const { inventories } = await this.client.query<{ uuid: string; name?: string }>('QueryIAM2VirtualID', '/iam2/virtual-ids', [['q', `uuid?=${wanted.join(',')}`]], { signal: ctx.signal, action: 'reading user names' });
      for (const v of inventories) {
        if (!v.name) continue;
        names.set(v.uuid, v.name);
        this.knownNames.set(v.uuid, { name: v.name, at: now });
      }
    } catch (error) {
      if (error instanceof DbTicketsError && (error.kind === 'cancelled' || error.kind === 'unavailable')) throw error;
      // Names are a nicety: without permission to query virtual IDs the uuids are shown.
    }
    return names;
  }

  private async noTemplate(ctx: OperationContext): Promise<DbTicketsError> {
    let listed = '';
    try {
      const types = await this.ticketTypes(ctx);
      listed = types.length ? ` The server's ticket types: ${types.map((t) => `${t.name} (${t.requests ?? ''})`).join(', ')}.` : ' The server lists no ticket types.';
    } catch {
      listed = ' (The ticket types could not be read: run db-tickets check.)';
    }
    return new DbTicketsError(
      'config',
      `Profile "${this.profile.name}" has no "request" template, so DB Tickets does not know which ZStack API the ticket runs: add "request": {"requestName": "{{title}}", "apiName": "<an API of a ticket type>", "apiBody": {"sql": "{{sql}}", …}, "executeTimes": 1}.${listed}`,
    );
  }

  private async notAllowed(ticket: TicketDetail, action: string, ctx: OperationContext): Promise<DbTicketsError> {
    const identity = await this.options.session.identity(ctx.signal);
    const current = ticket.approvals.find((s) => s.state === 'current');
    if ((action === 'approve' || action === 'reject') && current) {
      const who = current.approvers.map((a) => a.name).join(', ') || 'someone else';
      return new DbTicketsError('conflict', `Ticket #${ticket.id} waits on step "${current.name}", whose approver is ${who}, not ${identity.name}: only the current step's approver may ${action} it.`);
    }
    if (action === 'cancel' || action === 'reopen' || action === 'delete') {
      if (ticket.submitter && ticket.submitter.id !== identity.uuid) return new DbTicketsError('conflict', `Only the submitter (${ticket.submitter.name}) may ${action} ticket #${ticket.id}, not ${identity.name}.`);
    }
    return new DbTicketsError('conflict', `Ticket #${ticket.id} is ${statusLabel(ticket.status)} (${ticket.status.native}), so it cannot be ${pastTense(action)} now${ticket.actions.length ? `: its actions now are ${ticket.actions.join(', ')}` : ''}.`);
  }
}

function lastResults(history: ZsHistory[]): ZsRequestResult[] | undefined {
  return history.filter((h) => h.operationContext?.requestResults?.length).pop()?.operationContext?.requestResults;
}

function gerund(event: string): string {
  return { approve: 'approving', reject: 'rejecting', cancel: 'cancelling', reopen: 'reopening' }[event] ?? event;
}

function pastTense(action: string): string {
  return { approve: 'approved', reject: 'rejected', cancel: 'cancelled', reopen: 'reopened', delete: 'deleted' }[action] ?? action;
}
