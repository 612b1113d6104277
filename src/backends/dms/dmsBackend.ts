import type {
  ActionRequest,
  Backend,
  BackendCapabilities,
  BackendCheck,
  DatabaseRef,
  DownloadResult,
  DownloadTarget,
  ListFilter,
  OperationContext,
  Page,
  PageRequest,
  TicketDetail,
  TicketHeadline,
  TicketSummary,
  UserRef,
} from '../../core/backend/backend';
import { requireDeclared } from '../../core/backend/declaredActions';
import { redraftOf } from '../../core/backend/redraft';
import { parseTicketId } from '../../core/backend/ticketIds';
import { DbTicketsError } from '../../core/errors';
import { requireValidDraft, type TicketDraft } from '../../core/model/ticketDraft';
import { isFinalState, type TicketState } from '../../core/model/ticketStatus';
import { dialectOfEngine } from '../../core/sql/dialect';
import { HttpStatusError, type HttpClient } from '../../net/httpClient';
import { pause } from '../../net/retry';
import { TransportError } from '../../net/transportError';
import { ServiceRefusal } from '../../net/serviceRefusal';
import { controlModeProblem } from './controlMode';
import { type CreateJournal, type CreateTiming, lookUntil, resumeAdvice } from '../createJournal';
import { TtlCache } from '../ttlCache';
import { checkTenant } from './dmsCheck';
import { type CreateOperation, createCall, createdOrderIds, draftMarker, splitComment, type ResolvedTarget, withStagedFiles } from './dmsDraft';
import { mayHaveHappened, transportFailure } from './dmsErrors';
import { type DmsProfile, dmsDefaultTimeoutMs } from './dmsProfile';
import type { Params } from './operations';
import {
  type DmsApprovalDetail,
  type DmsCorrectDetail,
  type DmsExportDetail,
  type DmsOrder,
  type DmsOrderBaseInfo,
  type DmsSearchDatabase,
  type DmsUser,
  idText,
  isoTime,
  listOf,
} from './dmsResponses';
import { filedAs, hasPrecheck, kindOfPlugin, orderStatus, type PrecheckState, precheckFailed, precheckState, schemaChangeNote } from './dmsStatus';
import { approvalSteps, correctPrecheck, currentHandlers, filedSummary, handlerNames, history, toSummary, type Viewer, userIdsOf } from './dmsTickets';
import type { OssStager } from './ossStaging';
import type { RpcClient } from './rpcClient';

/** DMS's largest ListOrders page: filtered lists scan in these. */
const scanPageSize = 100;
/** How long a database's or a user's id, found by name, serves the creates of this process. */
const lookupTtlMs = 5 * 60_000;

export interface DmsBackendOptions {
  profile: DmsProfile;
  client: RpcClient;
  http: HttpClient;
  /** Where files DMS cannot take inline go (profile `ossStaging`); without it such drafts are refused. */
  stager?: OssStager;
  /** After an ambiguous create, how long to let DMS settle between looks for the ticket it may have created. */
  settleMs?: number;
  /**
   * After an ambiguous create, how long to keep looking for the ticket before calling the outcome unknown: DMS's
   * lists lag its creates by a few seconds, and sending again before the ticket shows would file a second one.
   */
  lagWaitMs?: number;
  /** Which drafts' creates were sent from this computer, and the tickets they made. */
  journal: CreateJournal;
  /** Between polls of a precheck or an execution. */
  pollMs?: number;
  /** How long a submit waits for the precheck before leaving the ticket to it. */
  precheckWaitMs?: number;
  /** How long `execute` follows the execution before returning the ticket as it is. */
  executeWaitMs?: number;
}

type OrderResultType = 'AS_COMMITTER' | 'AS_HANDLER' | 'AS_Related' | 'AS_ADMIN';
const scopeTypes: Record<string, OrderResultType> = { mine: 'AS_COMMITTER', awaiting_me: 'AS_HANDLER', related: 'AS_Related', all: 'AS_ADMIN' };
const maxQueryChars = 32_000;

/** Alibaba Cloud DMS Enterprise (API 2018-11-01): tickets are DMS "orders". */
export class DmsBackend implements Backend {
  readonly capabilities: BackendCapabilities;
  /** The caller's DMS user, asked once per process. */
  private me?: Promise<DmsUser | undefined>;
  private adminScope = true;
  /** DMS user names by id, as learnt from responses. */
  private readonly userNames = new Map<string, string>();
  /** Approval workflow ids by ticket: a ticket keeps its workflow once DMS gave it one. */
  private readonly workflows = new Map<string, string>();
  private readonly databases = new TtlCache<ResolvedTarget>(lookupTtlMs);
  private readonly users = new TtlCache<number>(lookupTtlMs);
  /** An export's precheck findings, by ticket and precheck: they do not change once the precheck has finished. */
  private readonly precheckItems = new TtlCache<Array<{ check: string; status: 'passed'; message: string }>>(10 * 60_000);
  private readonly schemaChangeAs: 'NDDL' | 'DATA_CORRECT';

  constructor(private readonly options: DmsBackendOptions) {
    this.schemaChangeAs = options.profile.schemaChangeAs ?? 'NDDL';
    this.capabilities = {
      kinds: ['DATA_EXPORT', 'SCHEMA_CHANGE', 'DATA_CHANGE'],
      actions: ['approve', 'reject', 'transfer', 'cancel', 'close', 'execute'],
      kindAllowances: this.schemaChangeAs === 'DATA_CORRECT' ? { DATA_CHANGE: ['ddl'] } : undefined,
      kindNotes: { SCHEMA_CHANGE: schemaChangeNote(this.schemaChangeAs) },
      listScopes: ['mine', 'awaiting_me', 'related', 'all'],
      searchDatabases: true,
      searchUsers: true,
      download: true,
      attachments: options.stager !== undefined,
      attachmentsSetting: options.stager ? undefined : 'ossStaging',
      webConsole: options.profile.consoleUrl !== undefined,
    };
  }

  private get client(): RpcClient {
    return this.options.client;
  }

  /**
   * Creates the ticket once per draft id: the journal and DMS's lists are asked for the draft's ticket before a
   * create is sent, and again after any failure that leaves open whether DMS created it. Then waits for the precheck
   * and sends the ticket for approval; submitting the same draft again resumes there. The ticket is answered as these
   * calls left it, not read back.
   */
  async submit(input: TicketDraft, ctx: OperationContext = {}): Promise<TicketSummary> {
    const draft = requireValidDraft(input);
    const marker = draftMarker(draft.id);
    const journal = this.options.journal;
    const earlier = await journal.earlierTicket(draft, (thorough) => this.findByMarker(marker, thorough, ctx), this.timing, ctx);
    if (earlier) return this.forApproval(draft, earlier, undefined, ctx);
    ctx.onProgress?.({ message: 'Resolving the database and stakeholders' });
    const [target, related] = await Promise.all([this.resolveDatabase(draft, ctx), this.resolveUsers(draft.stakeholders, ctx)]);
    const { operation, params: inline } = createCall(draft, target, related, this.schemaChangeAs);
    const params = await this.stageFiles(draft, operation, inline, ctx);
    const pluginType = operation === 'CreateOrder' ? String(params.PluginType) : 'DC_COMMON';
    ctx.onProgress?.({ message: 'Creating the DMS ticket' });
    const sentAt = Date.now();
    await journal.sending(draft.id, sentAt);
    let id: string | undefined;
    try {
      id = await this.create(operation, params, ctx);
    } catch (error) {
      if (sentButCancelled(error)) {
        throw new DbTicketsError('cancelled', `Creating "${draft.title}" was cancelled after the request went to DMS, which may still create the ticket. ${resumeAdvice(draft.id)}`, { cause: error, resumeDraftId: draft.id });
      }
      if (!mayHaveHappened(error)) {
        await journal.refused(draft.id);
        throw await this.explainRefusal(error, target, pluginType, ctx);
      }
      ctx.onProgress?.({ message: 'No clear answer from DMS: looking for the ticket it may have created' });
      id = await this.awaitCreated(draft, marker, error, ctx);
    }
    id ??= await this.awaitCreated(draft, marker, undefined, ctx);
    await journal.created(draft.id, id, sentAt);
    // A new ticket is prechecking: what the create sent says the rest of what its summary shows.
    return this.forApproval(draft, id, { OrderId: id, PluginType: pluginType, StatusCode: 'new', Comment: String(params.Comment), CreateTime: new Date(sentAt).toISOString() }, ctx);
  }

  /** Sends the draft's ticket for approval once its precheck passes (`sendForApproval`), and answers where it stands. */
  private async forApproval(draft: TicketDraft, id: string, created: DmsOrder | undefined, ctx: OperationContext): Promise<TicketSummary> {
    try {
      const { order, precheck } = await this.sendForApproval(id, created, ctx);
      return filedSummary(order, precheck, this.options.profile.consoleUrl);
    } catch (error) {
      if (!(error instanceof DbTicketsError) || error.kind === 'cancelled') throw error;
      throw new DbTicketsError(error.kind, `Ticket #${id} was created, but sending it for approval failed: ${error.message} ${resumeAdvice(draft.id)}`, { ...error.details, resumeDraftId: draft.id });
    }
  }

  /**
   * What DMS cannot take inline goes through OSS (profile `ossStaging`): SQL whose request would pass the query limit
   * is sent as an attachment, and the draft's attachment as the ticket's AttachmentKey.
   */
  private async stageFiles(draft: TicketDraft, operation: CreateOperation, params: Params, ctx: OperationContext): Promise<Params> {
    const tooLong = operation === 'CreateDataCorrectOrder' && JSON.stringify(params).length > maxQueryChars;
    if (!tooLong && draft.attachments.length === 0) return params;
    const stager = this.options.stager;
    if (!stager) {
      const profile = this.options.profile.name;
      throw new DbTicketsError(
        'usage',
        tooLong
          ? `The SQL of "${draft.title}" is too long to send to DMS inline (over the ${maxQueryChars.toLocaleString('en-US')}-character limit of one request): set "ossStaging" in profile "${profile}" (e.g. oss://my-bucket/db-tickets/) to upload it through OSS, or split it into several tickets.`
          : `DMS takes attachments only through OSS: set "ossStaging" in profile "${profile}" (e.g. oss://my-bucket/db-tickets/), or remove the attachments of "${draft.title}".`,
      );
    }
    return withStagedFiles(params, await stager.stageDraft(draft, tooLong, ctx));
  }

  /** A refused create as DMS's message, or as the instance's control mode when that is why. */
  private async explainRefusal(error: unknown, target: ResolvedTarget, pluginType: string, ctx: OperationContext): Promise<unknown> {
    const refusal = error instanceof DbTicketsError ? error.cause : undefined;
    if (!(refusal instanceof ServiceRefusal) || refusal.status >= 500) return error;
    const problem = await controlModeProblem(this.client, target, pluginType, ctx);
    if (!problem) return error;
    return new DbTicketsError('config', `${problem} (DMS said ${refusal.code}: ${refusal.serviceMessage}${refusal.requestId ? `; RequestId ${refusal.requestId}` : ''})`, { requestId: refusal.requestId, cause: error });
  }

  /**
   * After a create that may or may not have reached DMS: looks for its ticket until it shows or the list's lag is
   * surely over. Never sends the create again — when the ticket does not show, the outcome is unknown and says so.
   */
  private async awaitCreated(draft: TicketDraft, marker: string, cause: unknown, ctx: OperationContext): Promise<string> {
    const unclear = `DMS gave no clear answer to creating "${draft.title}"${cause ? '' : ' (it accepted it without naming the ticket)'}`;
    let id: string | undefined;
    let lookFailed = '';
    try {
      const { lagWaitMs, settleMs } = this.timing;
      id = await lookUntil(() => this.findByMarker(marker, true, ctx), Date.now() + lagWaitMs, settleMs, ctx.signal, `${unclear}, and the look for its ticket was cancelled`);
    } catch (error) {
      if (!(error instanceof DbTicketsError) || error.kind === 'cancelled') throw error;
      lookFailed = ` Looking for its ticket failed too: ${error.message}`;
    }
    if (id) return id;
    const requestId = cause instanceof DbTicketsError ? cause.details.requestId : undefined;
    throw new DbTicketsError(
      'unavailable',
      `${unclear}${lookFailed ? '' : `, and no ticket carrying ${marker} has shown in its lists since`}: whether DMS created it is unknown.${lookFailed} ${resumeAdvice(draft.id)} To look yourself, search DMS for ${marker} (db-tickets list --scope mine, or the DMS console).${requestId ? ` (RequestId ${requestId})` : ''}`,
      { cause, requestId, resumeDraftId: draft.id },
    );
  }

  private get timing(): CreateTiming {
    return { callMs: this.options.profile.timeoutMs ?? dmsDefaultTimeoutMs, lagWaitMs: this.options.lagWaitMs ?? 15_000, settleMs: this.options.settleMs ?? 2_000 };
  }

  async list(filter: ListFilter, page: PageRequest, ctx: OperationContext = {}): Promise<Page<TicketSummary>> {
    const scope = filter.scope ?? 'mine';
    const [pageNumber, offset] = (page.cursor ?? '1:0').split(':').map(Number);
    if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(offset ?? 0) || (offset ?? 0) < 0) {
      throw new DbTicketsError('usage', `The cursor "${page.cursor}" is not one this DMS profile gave: list again without it.`);
    }
    const size = Math.min(Math.max(page.size, 1), 100);
    const viewer = await this.whoAmI(ctx);
    // Only the awaiting-me list says which tickets wait for the caller: asked for when "needs you" is filtered on.
    const awaiting = scope !== 'awaiting_me' && filter.states?.includes('needs_you') ? await this.awaitingMe(ctx) : new Set<string>();
    const summary = (order: DmsOrder) =>
      toSummary(order, viewer, { awaitingMe: scope === 'awaiting_me' || awaiting.has(idText(order.OrderId) ?? ''), consoleUrl: this.options.profile.consoleUrl });
    const params = { OrderStatus: orderStatusFilter(filter.states), SearchContent: filter.text?.trim() || undefined };
    if (!filter.states) {
      const response = await this.listOrders(scope, { ...params, PageNumber: pageNumber, PageSize: size }, ctx);
      const total = Number(response.TotalCount ?? 0);
      return { items: listOf<DmsOrder>(response.Orders, 'Order').map(summary), total, nextCursor: pageNumber * size < total ? String(pageNumber + 1) : undefined };
    }
    // ListOrders filters only running / finished: the states are matched here, paging on through DMS's pages until a
    // page of matches is full or none remain, so a page is never empty while matches exist.
    const states = filter.states;
    const matches = (ticket: TicketSummary) => states.includes(ticket.status.state) || (ticket.needsYou && states.includes('needs_you'));
    const items: TicketSummary[] = [];
    for (let number = pageNumber, from = offset ?? 0; ; number++, from = 0) {
      const response = await this.listOrders(scope, { ...params, PageNumber: number, PageSize: scanPageSize }, ctx);
      const orders = listOf<DmsOrder>(response.Orders, 'Order');
      const more = number * scanPageSize < Number(response.TotalCount ?? 0) && orders.length > 0;
      for (let i = from; i < orders.length; i++) {
        const ticket = summary(orders[i]);
        if (!matches(ticket)) continue;
        items.push(ticket);
        if (items.length === size) {
          const nextCursor = i + 1 < orders.length ? `${number}:${i + 1}` : more ? `${number + 1}:0` : undefined;
          return { items, nextCursor };
        }
      }
      if (!more) return { items };
    }
  }

  async get(id: string, ctx: OperationContext = {}): Promise<TicketDetail> {
    const orderId = ticketId(id);
    return this.detail(orderId, await this.baseInfo(orderId, ctx), ctx);
  }

  /**
   * GetOrderBaseInfo alone, and the precheck's detail while the ticket is prechecking (a failed precheck ends it): the
   * fewest calls that tell the ticket's state.
   */
  async status(id: string, ctx: OperationContext = {}): Promise<TicketHeadline> {
    const orderId = ticketId(id);
    const base = await this.baseInfo(orderId, ctx);
    let status = orderStatus(base.StatusCode ?? '');
    if (status.state === 'prechecking' && hasPrecheck(base.PluginType)) {
      const precheck = await this.precheckOf(orderId, base.PluginType, ctx);
      if (precheck.state === 'failed') status = precheckFailed(status, precheck.native);
    }
    return { id: idText(base.OrderId) ?? orderId, title: splitComment(base.Comment).title, status, updatedAt: isoTime(base.LastModifyTime ?? base.CreateTime) };
  }

  private async baseInfo(orderId: string, ctx: OperationContext): Promise<DmsOrderBaseInfo> {
    const { OrderBaseInfo: base = {} } = await this.client.call<{ OrderBaseInfo?: DmsOrderBaseInfo }>('GetOrderBaseInfo', { OrderId: orderId }, ctx);
    const workflowId = idText(base.WorkflowInstanceId);
    if (workflowId && workflowId !== '0') this.workflows.set(orderId, workflowId);
    return base;
  }

  /** The ticket's detail from its base info (GetOrderBaseInfo) and the calls it points to. */
  private async detail(orderId: string, base: DmsOrderBaseInfo, ctx: OperationContext): Promise<TicketDetail> {
    const workflowId = idText(base.WorkflowInstanceId);
    const kind = kindOfPlugin(base.PluginType);
    const [approval, viewer, specifics] = await Promise.all([
      workflowId && workflowId !== '0' ? this.client.call<{ ApprovalDetail?: DmsApprovalDetail }>('GetApprovalDetail', { WorkflowInstanceId: workflowId }, ctx).then((r) => r.ApprovalDetail) : undefined,
      this.whoAmI(ctx),
      this.specifics(orderId, base, ctx),
    ]);
    const names = new Map<string, string>(this.userNames);
    const relatedIds = listOf<string | number>(base.RelatedUserList, 'UserIds').map(String);
    const relatedNames = listOf<string>(base.RelatedUserNickList, 'UserNicks');
    relatedIds.forEach((uid, i) => relatedNames[i] && names.set(uid, relatedNames[i]));
    if (idText(base.CommitterId) && base.Committer) names.set(idText(base.CommitterId)!, base.Committer);
    for (const [uid, name] of handlerNames(approval)) names.set(uid, name);
    await this.learnNames(userIdsOf(approval).filter((uid) => !names.has(uid)), names, ctx);
    const handlers = currentHandlers(approval);
    const summary = toSummary(base, viewer, { consoleUrl: this.options.profile.consoleUrl, handlers });
    const approvals = approvalSteps(approval, names);
    let status = summary.status;
    if (status.state === 'prechecking' && specifics.precheck && !specifics.precheck.passed && specifics.precheckFinished) {
      status = precheckFailed(status, specifics.nativeDetail);
    }
    const { reason } = splitComment(base.Comment);
    return {
      ...summary,
      status,
      // A failed precheck leaves the ticket open in DMS: it can still be closed.
      actions: status === summary.status ? summary.actions : summary.actions.filter((action) => action === 'cancel'),
      database: specifics.database,
      dialect: specifics.dialect,
      sql: specifics.sql ?? (kind === 'SCHEMA_CHANGE' ? designSql(approval?.Description, reason) : ''),
      filedAs: filedAs(base.PluginType),
      reason,
      stakeholders: relatedIds.map((uid) => ({ id: uid, name: names.get(uid) ?? uid })),
      estimatedRows: specifics.estimatedRows,
      precheck: specifics.precheck,
      approvals,
      comments: approvals.filter((step) => step.comment && step.actedBy).map((step) => ({ author: step.actedBy!, at: step.at ?? '', text: step.comment! })),
      attachments: base.OriginAttachmentName ? [{ name: base.OriginAttachmentName }] : [],
      execution: specifics.execution,
      history: history(base, approvals),
    };
  }

  async act(id: string, request: ActionRequest, ctx: OperationContext = {}): Promise<TicketDetail> {
    requireDeclared(this.capabilities, request.action, 'DMS', request.action === 'comment' ? 'DMS keeps comments only with an approval, reject or close: add yours there.' : '');
    const orderId = ticketId(id);
    const comment = request.comment?.trim() || undefined;
    switch (request.action) {
      case 'approve':
      case 'reject':
      case 'transfer': {
        const workflowId = await this.workflowOf(orderId, request.action, ctx);
        const newApprover = request.action === 'transfer' ? (await this.resolveUsers([request.to.id || request.to.name], ctx))[0] : undefined;
        await this.client.call('ApproveOrder', { WorkflowInstanceId: workflowId, ApprovalType: request.action === 'approve' ? 'AGREE' : request.action === 'reject' ? 'REJECT' : 'TRANSFER', Comment: comment, NewApprover: newApprover }, ctx);
        break;
      }
      case 'cancel':
      case 'close':
        await this.client.call('CloseOrder', { OrderId: orderId, CloseReason: comment ?? 'Closed from DB Tickets.' }, ctx);
        break;
      case 'execute':
        return this.execute(orderId, ctx);
    }
    return this.get(orderId, ctx);
  }

  async redraft(id: string, ctx: OperationContext = {}): Promise<TicketDraft> {
    return redraftOf(await this.get(id, ctx));
  }

  async download(id: string, target: DownloadTarget, ctx: OperationContext = {}): Promise<DownloadResult> {
    const orderId = ticketId(id);
    const { DownloadURLResult: result = {} } = await this.client.call<{ DownloadURLResult?: { HasResult?: boolean; URL?: string; TipMessage?: string } }>('GetDataExportDownloadURL', { OrderId: orderId }, ctx);
    if (!result.HasResult || !result.URL) {
      throw new DbTicketsError('conflict', `Ticket #${orderId} has no export result to download yet${result.TipMessage ? ` (DMS: ${result.TipMessage})` : ''}: execute the approved export and wait until it succeeds.`);
    }
    ctx.onProgress?.({ message: `Downloading the result of #${orderId}`, done: 0 });
    try {
      const bytes = await this.options.http.download(result.URL, target.path, {
        signal: ctx.signal,
        timeoutMs: this.options.profile.timeoutMs ?? dmsDefaultTimeoutMs,
        onProgress: (done, total) => ctx.onProgress?.({ message: `Downloading the result of #${orderId}`, done, total }),
      });
      return { path: target.path, bytes };
    } catch (error) {
      if (error instanceof HttpStatusError) {
        throw new DbTicketsError(
          error.status === 403 || error.status === 404 ? 'conflict' : 'unavailable',
          error.status === 403 || error.status === 404
            ? `The download link of #${orderId} was refused (HTTP ${error.status}): links expire after a while; download again to get a fresh one.`
            : `The result file of #${orderId} could not be fetched (HTTP ${error.status}): try again later.`,
          { cause: error },
        );
      }
      if (error instanceof TransportError) {
        if (error.failure === 'cancelled') throw new DbTicketsError('cancelled', `Downloading the result of #${orderId} was cancelled; nothing was saved at ${target.path} (an existing file is left as it was).`, { cause: error });
        const failure = transportFailure(error, { action: 'the result download', profile: this.options.profile.name }, new URL(result.URL).origin, false);
        throw new DbTicketsError(failure.kind, `${failure.message} No file was saved at ${target.path}.`, { cause: error });
      }
      throw error;
    }
  }

  async searchDatabases(text: string, ctx: OperationContext = {}): Promise<DatabaseRef[]> {
    return (await this.searchDatabaseList(text, ctx)).map((db) => ({ id: String(db.DatabaseId), name: db.SearchName ?? db.SchemaName ?? String(db.DatabaseId), engine: db.DbType, environment: db.EnvType }));
  }

  async searchUsers(text: string, ctx: OperationContext = {}): Promise<UserRef[]> {
    const response = await this.client.call<{ UserList?: unknown }>('ListUsers', { SearchKey: text.trim() || undefined, UserState: 'NORMAL', PageNumber: 1, PageSize: 50 }, ctx);
    return listOf<DmsUser>(response.UserList, 'User')
      .filter((user) => idText(user.UserId))
      .map((user) => ({ id: String(user.UserId), name: user.NickName || String(user.UserId) }));
  }

  check(ctx: OperationContext = {}): Promise<BackendCheck> {
    return checkTenant(this.client, this.options.profile, () => this.currentUser(ctx), ctx);
  }

  async dispose(): Promise<void> {
    await this.options.http.close();
  }

  /** The new ticket's id; undefined when DMS accepted the create but its answer names none (it is then looked up). */
  private async create(operation: CreateOperation, params: Params, ctx: OperationContext): Promise<string | undefined> {
    const response = await this.client.call<{ CreateOrderResult?: unknown }>(operation, params, ctx);
    return createdOrderIds(response)[0];
  }

  /**
   * The ticket carrying `marker`, among the user's own tickets: in the newest page, which holds all of them for most
   * users; beyond it by DMS's keyword search (whether it covers the Comment is not documented), and when `thorough` in
   * the next pages too.
   */
  private async findByMarker(marker: string, thorough: boolean, ctx: OperationContext): Promise<string | undefined> {
    const matching = (orders: DmsOrder[]) => orders.find((order) => order.Comment?.includes(marker));
    const page = async (number: number) => {
      const recent = await this.client.call<{ Orders?: unknown }>('ListOrders', { OrderResultType: 'AS_COMMITTER', OrderStatus: 'ALL', PageNumber: number, PageSize: scanPageSize }, ctx);
      return listOf<DmsOrder>(recent.Orders, 'Order');
    };
    const newest = await page(1);
    const hit = matching(newest);
    if (hit || newest.length < scanPageSize) return idText(hit?.OrderId);
    // A keyword DMS refuses as a parameter only means the search cannot help; the pages still can.
    const searched = await this.client
      .call<{ Orders?: unknown }>('ListOrders', { OrderResultType: 'AS_COMMITTER', OrderStatus: 'ALL', SearchContent: marker.slice(1, -1), PageNumber: 1, PageSize: 20 }, ctx)
      .catch((error: unknown) => {
        if (error instanceof DbTicketsError && error.kind === 'usage') return { Orders: undefined };
        throw error;
      });
    const found = matching(listOf<DmsOrder>(searched.Orders, 'Order'));
    if (found || !thorough) return idText(found?.OrderId);
    for (let number = 2; number <= 3; number++) {
      const orders = await page(number);
      const deeper = matching(orders);
      if (deeper) return idText(deeper.OrderId);
      if (orders.length < scanPageSize) break;
    }
    return undefined;
  }

  /**
   * Waits for the precheck of the draft's ticket, then sends it for approval; does nothing once it is past that. A
   * ticket just `created` is known to be new, so only its precheck is polled; a resumed one is read at each poll, as
   * someone may have moved it on. Answers the ticket as these calls left it, with the precheck's status when it failed.
   */
  private async sendForApproval(orderId: string, created: DmsOrder | undefined, ctx: OperationContext): Promise<{ order: DmsOrder; precheck?: string }> {
    const deadline = Date.now() + (this.options.precheckWaitMs ?? 120_000);
    for (let poll = 0; ; poll++) {
      const order = created ?? (await this.baseInfo(orderId, ctx));
      if (orderStatus(order.StatusCode ?? '').state !== 'prechecking') return { order };
      const precheck = hasPrecheck(order.PluginType) ? await this.precheckOf(orderId, order.PluginType, ctx) : { state: 'passed' as const };
      if (precheck.state === 'failed') return { order, precheck: precheck.native };
      if (precheck.state === 'passed') {
        ctx.onProgress?.({ message: `Sending #${orderId} for approval` });
        await this.client.call('SubmitOrderApproval', { OrderId: orderId }, ctx);
        // SubmitOrderApproval answers nothing but success: the ticket now waits for approval.
        return { order: { ...order, StatusCode: 'toaudit' } };
      }
      if (Date.now() >= deadline) return { order };
      ctx.onProgress?.({ message: `Waiting for the DMS precheck of #${orderId}` });
      await pause(pollDelay(this.options.pollMs, poll), ctx.signal, `Stopped waiting for the precheck of #${orderId}; the ticket exists in DMS. Submit the same draft again to send it for approval once the precheck passes.`);
    }
  }

  /** Where the precheck of an export or data change stands, by the one call of its type that says. */
  private async precheckOf(orderId: string, pluginType: string | undefined, ctx: OperationContext): Promise<{ state: PrecheckState; native?: string }> {
    if (kindOfPlugin(pluginType) === 'DATA_EXPORT') {
      const r = await this.client.call<{ DataExportOrderDetail?: DmsExportDetail }>('GetDataExportOrderDetail', { OrderId: orderId }, ctx);
      const native = r.DataExportOrderDetail?.KeyInfo?.JobStatus;
      return { state: precheckState(native) ?? 'running', native };
    }
    const r = await this.client.call<{ DataCorrectOrderDetail?: DmsCorrectDetail }>('GetDataCorrectOrderDetail', { OrderId: orderId }, ctx);
    const native = r.DataCorrectOrderDetail?.Status;
    return { state: precheckState(native) ?? 'running', native };
  }

  /** What only the ticket type's own detail call tells: SQL, database, precheck, execution. */
  private async specifics(orderId: string, base: DmsOrderBaseInfo, ctx: OperationContext) {
    const state = orderStatus(base.StatusCode ?? '').state;
    const pluginType = base.PluginType?.toUpperCase();
    if (pluginType === 'DATA_EXPORT') {
      const { DataExportOrderDetail: detail = {} } = await this.client.call<{ DataExportOrderDetail?: DmsExportDetail }>('GetDataExportOrderDetail', { OrderId: orderId }, ctx);
      const job = detail.KeyInfo?.JobStatus;
      const pre = precheckState(job);
      const checked = pre && pre !== 'running' ? await this.precheckItems.get(`${orderId}:${detail.KeyInfo?.PreCheckId ?? ''}`, () => this.exportPrecheckItems(orderId, ctx)) : [];
      const succeeded = state === 'succeeded' || job?.toUpperCase() === 'EXPORT_SUCCESS';
      return {
        sql: detail.OrderDetail?.ExeSQL,
        database: detail.OrderDetail?.Database ?? idText(detail.OrderDetail?.DbId),
        estimatedRows: undefined as number | undefined,
        precheck: pre ? { passed: pre === 'passed', items: checked.length > 0 ? checked.map((item) => ({ ...item, status: pre === 'failed' ? ('failed' as const) : item.status })) : [{ check: 'precheck', status: pre === 'failed' ? ('failed' as const) : pre === 'passed' ? ('passed' as const) : ('warning' as const), message: job ?? '' }] } : undefined,
        precheckFinished: pre !== undefined && pre !== 'running',
        nativeDetail: job,
        execution: state === 'executing' || state === 'succeeded' || state === 'failed' || succeeded
          ? { rows: detail.OrderDetail?.ActualAffectRows, message: job, hasResult: succeeded, resultName: succeeded ? `ticket-${orderId}.zip` : undefined }
          : undefined,
      };
    }
    if (pluginType?.startsWith('DC_') || pluginType === 'DATA_CORRECT') {
      const { DataCorrectOrderDetail: detail = {} } = await this.client.call<{ DataCorrectOrderDetail?: DmsCorrectDetail }>('GetDataCorrectOrderDetail', { OrderId: orderId }, ctx);
      const [db] = listOf<{ DbId?: number | string; SearchName?: string; DbType?: string }>(detail.DatabaseList, 'Database');
      const ran = state === 'executing' || state === 'succeeded' || state === 'failed';
      const task = ran ? (await this.client.call<{ DataCorrectTaskDetail?: { jobStatus?: string; ActualAffectRows?: number } }>('GetDataCorrectTaskDetail', { OrderId: orderId }, ctx)).DataCorrectTaskDetail : undefined;
      const pre = precheckState(detail.Status);
      return {
        sql: detail.OrderDetail?.ExeSQL,
        database: db?.SearchName ?? idText(db?.DbId),
        dialect: dialectOfEngine(db?.DbType),
        estimatedRows: detail.OrderDetail?.EstimateAffectRows,
        precheck: correctPrecheck(detail.PreCheckDetail?.TaskCheckDO ?? [], detail.Status),
        precheckFinished: pre !== undefined && pre !== 'running',
        nativeDetail: detail.Status,
        execution: ran ? { rows: task?.ActualAffectRows ?? detail.OrderDetail?.ActualAffectRows, message: task?.jobStatus, hasResult: false } : undefined,
      };
    }
    return { sql: undefined, database: undefined, estimatedRows: undefined, precheck: undefined, precheckFinished: false, nativeDetail: undefined, execution: undefined };
  }

  private async exportPrecheckItems(orderId: string, ctx: OperationContext) {
    const r = await this.client.call<{ PreCheckResult?: { PreCheckDetailList?: unknown } }>('GetDataExportPreCheckDetail', { OrderId: orderId }, ctx);
    return listOf<{ SQL?: string; AffectRows?: number }>(r.PreCheckResult?.PreCheckDetailList, 'PreCheckDetailList').map((item) => ({
      check: 'affected rows',
      status: 'passed' as const,
      message: `${item.AffectRows ?? '?'} rows: ${(item.SQL ?? '').slice(0, 200)}`,
    }));
  }

  /** Starts the execution, then follows it by GetOrderBaseInfo alone until it ends; the detail is read once, at the end. */
  private async execute(orderId: string, ctx: OperationContext): Promise<TicketDetail> {
    const base = await this.baseInfo(orderId, ctx);
    const kind = kindOfPlugin(base.PluginType);
    const state = orderStatus(base.StatusCode ?? '').state;
    if (kind !== 'DATA_EXPORT' && kind !== 'DATA_CHANGE') {
      throw new DbTicketsError('usage', `Ticket #${orderId} is a ${base.PluginType ?? 'DMS'} ticket, which DMS runs stage by stage in its console: open the ticket there to execute it.`);
    }
    if (state !== 'approved') throw new DbTicketsError('conflict', `Ticket #${orderId} is ${base.StatusCode ?? 'in an unknown state'}, not approved: only an approved ticket can be executed.`);
    if (kind === 'DATA_EXPORT') {
      await this.client.call('ExecuteDataExport', { OrderId: orderId, ActionDetail: { mode: 'FAST', encoding: 'UTF8', fileType: 'CSV', transaction: false } }, ctx);
    } else {
      await this.client.call('ExecuteDataCorrect', { OrderId: orderId, ActionDetail: { transaction: true, backupData: true } }, ctx);
    }
    const deadline = Date.now() + (this.options.executeWaitMs ?? 600_000);
    for (let poll = 0; ; poll++) {
      const now = await this.baseInfo(orderId, ctx);
      if (!isRunning(orderStatus(now.StatusCode ?? '').state) || Date.now() >= deadline) return this.detail(orderId, now, ctx);
      ctx.onProgress?.({ message: `#${orderId} is executing in DMS` });
      await pause(pollDelay(this.options.pollMs, poll), ctx.signal, `Stopped following the execution of #${orderId}; it goes on in DMS: follow it with its status.`);
    }
  }

  /** The ticket's approval workflow: as an earlier look of this process saw it, else from GetOrderBaseInfo. */
  private async workflowOf(orderId: string, action: string, ctx: OperationContext): Promise<string> {
    const known = this.workflows.get(orderId);
    if (known) return known;
    const base = await this.baseInfo(orderId, ctx);
    const workflowId = idText(base.WorkflowInstanceId);
    if (!workflowId || workflowId === '0') {
      throw new DbTicketsError('conflict', `Ticket #${orderId} is ${base.StatusCode ?? 'not yet'} and has no approval to ${action}: it is sent for approval once its precheck passes.`);
    }
    return workflowId;
  }

  /** The ids of the running tickets waiting for the caller's approval (AS_HANDLER), up to 1,000. */
  private async awaitingMe(ctx: OperationContext): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let page = 1; page <= 10; page++) {
      const response = await this.listOrders('awaiting_me', { OrderStatus: 'RUNNING', PageNumber: page, PageSize: scanPageSize }, ctx);
      const orders = listOf<DmsOrder>(response.Orders, 'Order');
      for (const order of orders) ids.add(idText(order.OrderId) ?? '');
      if (orders.length < scanPageSize) break;
    }
    return ids;
  }

  private async listOrders(scope: string, params: Record<string, string | number | undefined>, ctx: OperationContext) {
    const type = scopeTypes[scope] ?? 'AS_COMMITTER';
    if (type === 'AS_ADMIN' && !this.adminScope) return this.client.call<{ Orders?: unknown; TotalCount?: number }>('ListOrders', { ...params, OrderResultType: 'AS_Related' }, ctx);
    try {
      return await this.client.call<{ Orders?: unknown; TotalCount?: number }>('ListOrders', { ...params, OrderResultType: type }, ctx);
    } catch (error) {
      // Every ticket of the tenant is for DMS administrators; anyone else sees the tickets that involve them.
      if (type !== 'AS_ADMIN' || !(error instanceof DbTicketsError) || error.kind !== 'auth') throw error;
      this.adminScope = false;
      return this.client.call<{ Orders?: unknown; TotalCount?: number }>('ListOrders', { ...params, OrderResultType: 'AS_Related' }, ctx);
    }
  }

  /** Looks up the names of users an approval chain names only by id (GetUser; a failed lookup keeps the id). */
  private async learnNames(ids: string[], names: Map<string, string>, ctx: OperationContext): Promise<void> {
    await Promise.all(
      ids.slice(0, 10).map(async (uid) => {
        const name = await this.client.call<{ User?: DmsUser }>('GetUser', { UserId: uid }, ctx).then(
          (r) => r.User?.NickName,
          () => undefined,
        );
        if (name) {
          this.userNames.set(uid, name);
          names.set(uid, name);
        }
      }),
    );
  }

  /** The caller's DMS user id; unknown when DMS will not say (then nothing is taken as "yours"). */
  private async whoAmI(ctx: OperationContext): Promise<Viewer> {
    return { userId: idText((await this.currentUser(ctx))?.UserId) };
  }

  /** The caller's DMS user (GetUser), asked once per process; its name joins the names learnt. */
  private currentUser(ctx: OperationContext): Promise<DmsUser | undefined> {
    this.me ??= this.client.call<{ User?: DmsUser }>('GetUser', {}, ctx).then(
      ({ User: user }) => {
        const id = idText(user?.UserId);
        if (id && user?.NickName) this.userNames.set(id, user.NickName);
        return user;
      },
      () => {
        this.me = undefined;
        return undefined;
      },
    );
    return this.me;
  }

  /** Databases matching `text`; only logical ones when `target` is LOGIC_DB (a draft marked logical). */
  private async searchDatabaseList(text: string, ctx: OperationContext, target?: 'LOGIC_DB'): Promise<DmsSearchDatabase[]> {
    const response = await this.client.call<{ SearchDatabaseList?: unknown }>('SearchDatabase', { SearchKey: text.trim() || undefined, SearchTarget: target, PageNumber: 1, PageSize: 50 }, ctx);
    return listOf<DmsSearchDatabase>(response.SearchDatabaseList, 'SearchDatabase').filter((db) => idText(db.DatabaseId));
  }

  /** The draft's database as a DMS DbId: a number is taken as is, a name is searched and must match one database. */
  private async resolveDatabase(draft: TicketDraft, ctx: OperationContext): Promise<ResolvedTarget> {
    const name = draft.database.trim();
    const logical = draft.backendFields.logic === true;
    if (/^\d+$/.test(name)) return { dbId: Number(name), logic: logical };
    return this.databases.get(`${logical}:${name}`, () => this.searchDatabaseNamed(name, logical, ctx));
  }

  private async searchDatabaseNamed(name: string, logical: boolean, ctx: OperationContext): Promise<ResolvedTarget> {
    const found = await this.searchDatabaseList(name, ctx, logical ? 'LOGIC_DB' : undefined);
    const lower = name.toLowerCase();
    const exact = found.filter((db) => [db.SearchName, db.SchemaName, db.Alias].some((n) => n?.toLowerCase() === lower));
    const candidates = exact.length > 0 ? exact : found;
    if (candidates.length === 1) {
      const [db] = candidates;
      return { dbId: Number(db.DatabaseId), logic: db.Logic === true, name: db.SearchName ?? db.SchemaName, host: db.Host, port: db.Port === undefined ? undefined : Number(db.Port) };
    }
    if (candidates.length === 0) throw new DbTicketsError('not_found', `DMS has no database matching "${name}" that you may use: check the name (e.g. schema@host:port) or your DMS permissions on it.`);
    const listed = candidates.slice(0, 5).map((db) => `${db.SearchName ?? db.SchemaName} (id ${db.DatabaseId})`).join(', ');
    throw new DbTicketsError('usage', `"${name}" matches ${candidates.length} DMS databases: ${listed}. Give the full search name or the database id.`);
  }

  /** DMS user ids for stakeholders given as ids or nick names. */
  private async resolveUsers(names: readonly string[], ctx: OperationContext): Promise<number[]> {
    const ids: number[] = [];
    for (const raw of names) {
      const name = raw.trim();
      if (/^\d+$/.test(name)) {
        ids.push(Number(name));
        continue;
      }
      ids.push(await this.users.get(name.toLowerCase(), () => this.userNamed(name, ctx)));
    }
    return ids;
  }

  private async userNamed(name: string, ctx: OperationContext): Promise<number> {
    const users = await this.searchUsers(name, ctx);
    const exact = users.filter((user) => user.name.toLowerCase() === name.toLowerCase());
    if (exact.length !== 1) {
      const known = users.slice(0, 5).map((u) => `${u.name} (${u.id})`).join(', ');
      throw new DbTicketsError(exact.length === 0 ? 'not_found' : 'usage', `"${name}" is ${exact.length === 0 ? 'not a DMS user name' : 'the name of several DMS users'}${known ? ` (found: ${known})` : ''}: give the DMS user id.`);
    }
    return Number(exact[0].id);
  }
}

/** Whether the user cancelled a call after its request had gone out (it may still be carried out). */
function sentButCancelled(error: unknown): boolean {
  const cause = error instanceof DbTicketsError ? error.cause : error;
  return cause instanceof TransportError && cause.sent && cause.failure === 'cancelled';
}


function pollDelay(pollMs: number | undefined, poll: number): number {
  return Math.min((pollMs ?? 1_000) * 2 ** Math.min(poll, 3), 5_000);
}

function isRunning(state: TicketState): boolean {
  return state === 'executing' || state === 'approved';
}

function orderStatusFilter(states: readonly TicketState[] | undefined): 'ALL' | 'FINISHED' | 'RUNNING' {
  if (!states || states.length === 0) return 'ALL';
  if (states.every(isFinalState)) return 'FINISHED';
  if (states.every((s) => !isFinalState(s) && s !== 'unknown')) return 'RUNNING';
  return 'ALL';
}

function ticketId(id: string): string {
  return parseTicketId(id, { service: 'DMS' });
}

/** The DDL of a schema design ticket: its description, without the reason older tickets put before it. */
function designSql(description: string | undefined, reason: string | undefined): string {
  const text = stripHtml(description);
  const lead = reason?.trim();
  return lead && text.startsWith(`${lead}\n`) ? text.slice(lead.length).trim() : text;
}

function stripHtml(html: string | undefined): string {
  return (html ?? '').replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim();
}

