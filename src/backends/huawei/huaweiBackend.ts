import type {
  ActionRequest,
  Backend,
  BackendCapabilities,
  BackendCheck,
  DatabaseRef,
  DownloadResult,
  LinkedTicket,
  ListFilter,
  OperationContext,
  ProfileChoice,
  Page,
  PageRequest,
  TicketAttachment,
  TicketAttachments,
  TicketDetail,
  TicketHeadline,
  TicketRating,
  TicketRelations,
  TicketSummary,
  UserRef,
} from '../../core/backend/backend';
import { requireDeclared } from '../../core/backend/declaredActions';
import { redraftOf } from '../../core/backend/redraft';
import { parseTicketId } from '../../core/backend/ticketIds';
import { DbTicketsError } from '../../core/errors';
import { requireValidDraft, type TicketDraft } from '../../core/model/ticketDraft';
import { statusLabel, type TicketState } from '../../core/model/ticketStatus';
import type { HttpClient } from '../../net/httpClient';
import type { HuaweiProfile } from './huaweiProfile';
import {
  actionsFor,
  actionWhen,
  codesOf,
  commentsOf,
  descriptionMax,
  descriptionOf,
  draftMarker,
  historyOf,
  type OsmCaseDetail,
  type OsmCaseRow,
  type OsmMessage,
  type OsmOperateLog,
  parseDescription,
  SOURCE_ID,
  sqlFileName,
  statusOf,
  summaryOf,
} from './osmCases';
import type { OsmClient, Query } from './osmClient';
import { type CreateJournal, type CreateTiming, lookUntil, resumeAdvice } from '../createJournal';
import { TtlCache } from '../ttlCache';
import { mayHaveHappened, OsmRefusal, requestIdNote } from './osmErrors';

export interface Identity {
  domainId?: string;
  domainName?: string;
  userName?: string;
}

export interface HuaweiBackendOptions {
  profile: HuaweiProfile;
  client: OsmClient;
  http: HttpClient;
  /** Who the credentials belong to, for check(): the account id and name, and the IAM user. */
  identity: (signal?: AbortSignal) => Promise<Identity>;
  /** Which drafts' creates were sent from this computer, and the cases they made. */
  journal: CreateJournal;
  /** How long one call may take (to tell when an earlier, unanswered create can no longer be carried out). */
  timeoutMs?: number;
  /** After an ambiguous create, how long to keep looking for the case before calling the outcome unknown. */
  lagWaitMs?: number;
  /** Between those looks. */
  settleMs?: number;
}

interface ProblemType {
  business_type_id: string;
  business_type_name?: string;
  case_type?: string;
}
interface ProductCategory {
  incident_product_category_id: string;
  incident_product_category_name?: string;
}

const SR = '/v2/servicerequest';
const service = 'The Huawei Cloud ticket service';
/** The service's largest list page. */
const scanPageSize = 100;
/** Related cases a case may have (spec §2.1). */
const maxRelations = 3;
/** The longest judgement a score takes. */
const judgementMax = 400;
/** The status codes of cases that may be deleted: completed, cancelled, invalid. */

/** Huawei Cloud service tickets (工单, OSM API v2): a draft becomes a case for Huawei Cloud support. */
export class HuaweiBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    kinds: ['DATA_CHANGE', 'SCHEMA_CHANGE', 'DATA_EXPORT'],
    actions: ['cancel', 'close', 'urge', 'comment', 'delete'],
    listScopes: ['all'],
    searchDatabases: false,
    searchUsers: false,
    download: false,
    attachments: false,
    webConsole: false,
  };
  /** The problem types of a product category, for the creates of this process. */
  private readonly problemTypeLists = new TtlCache<ProblemType[]>(10 * 60_000);
  /** How many of each case's replies this process has marked read. */
  private readonly repliesRead = new Map<string, number>();
  /** Each case's title and times, as its detail last said (its description does not change). */
  private readonly headlines = new Map<string, Pick<TicketSummary, 'title' | 'updatedAt'>>();

  constructor(private readonly options: HuaweiBackendOptions) {}

  private get client(): OsmClient {
    return this.options.client;
  }

  private get profile(): HuaweiProfile {
    return this.options.profile;
  }

  /**
   * Creates the case once per draft: its marker (at the end of the description) is looked for first, and after a
   * failure that leaves open whether the service created it, looked for again while the lists catch up. The create
   * is never sent twice.
   */
  async submit(input: TicketDraft, ctx: OperationContext = {}): Promise<TicketSummary> {
    const draft = requireValidDraft(input);
    const marker = draftMarker(draft.id);
    const journal = this.options.journal;
    const known = await journal.earlierTicket(draft, (thorough) => this.findByMarker(draft.id, thorough, ctx), this.timing, ctx);
    if (known) return this.summaryById(known, ctx);

    const problem = this.problemType(await this.problemTypeLists.get(this.profile.productCategoryId ?? '', () => this.problemTypes(ctx)));
    let description = descriptionOf(draft);
    const accessoryIds: string[] = [];
    if (description.length > descriptionMax) {
      const name = sqlFileName(draft.id);
      description = descriptionOf(draft, { name, characters: draft.sql.length });
      if (description.length > descriptionMax) {
        throw new DbTicketsError('usage', `The title, database and reason of "${draft.title}" do not fit in a case description (at most ${descriptionMax} characters, the SQL apart; these need ${description.length}): shorten the reason or the title.`);
      }
      accessoryIds.push(await this.uploadSql(draft, name, ctx));
    }
    const body = {
      business_type_id: problem.business_type_id,
      simple_description: description,
      source_id: SOURCE_ID,
      ...(this.profile.productCategoryId ? { product_category_id: this.profile.productCategoryId } : {}),
      ...(this.profile.regionId ? { region_id: this.profile.regionId } : {}),
      ...(this.profile.severityId ? { severity_id: this.profile.severityId } : {}),
      ...(this.profile.remindMail ? { remind_mail: this.profile.remindMail } : {}),
      ...(this.profile.remindMobile ? { remind_mobile: this.profile.remindMobile } : {}),
      ...(accessoryIds.length > 0 ? { accessory_ids: accessoryIds } : {}),
    };
    ctx.onProgress?.({ message: 'Creating the Huawei Cloud case' });
    const sentAt = Date.now();
    await journal.sending(draft.id, sentAt);
    let id: string | undefined;
    try {
      const answer = await this.client.call<{ incident_id?: unknown }>('POST', `${SR}/cases`, { action: `creating case "${draft.title}"`, body, signal: ctx.signal });
      id = typeof answer.incident_id === 'string' && answer.incident_id ? answer.incident_id : undefined;
      // An answer without the id still means the service took the create.
      if (!id) id = await this.awaitCreated(draft, marker, undefined, ctx);
    } catch (error) {
      if (!mayHaveHappened(error)) {
        await journal.refused(draft.id);
        throw error;
      }
      ctx.onProgress?.({ message: 'No clear answer from Huawei Cloud: looking for the case it may have created' });
      id = await this.awaitCreated(draft, marker, error, ctx);
    }
    await journal.created(draft.id, id, sentAt);
    // A new case waits to be accepted (status 0): the create's own fields say the rest, without reading it back.
    const created = summaryOf({ incident_id: id, status: 0, simple_description: body.simple_description, create_time: new Date(sentAt).toISOString() });
    this.headlines.set(id, { title: created.title, updatedAt: created.updatedAt });
    return created;
  }

  /** Looks for the case of an ambiguous create until it shows or the lists' lag is surely over; never sends again. */
  private async awaitCreated(draft: TicketDraft, marker: string, cause: unknown, ctx: OperationContext): Promise<string> {
    const unknown = `Huawei Cloud gave no clear answer to creating case "${draft.title}", and no case carrying ${marker} has shown in its lists since`;
    const requestId = cause instanceof DbTicketsError ? cause.details.requestId : undefined;
    const { lagWaitMs, settleMs } = this.timing;
    const id = await lookUntil(() => this.findByMarker(draft.id, true, ctx), Date.now() + lagWaitMs, settleMs, ctx.signal, unknown);
    if (id) return id;
    throw new DbTicketsError(
      'unavailable',
      `${unknown}: whether it was created is unknown. ${resumeAdvice(draft.id)} To look yourself, search the case list for ${marker} (db-tickets list, or the console's service tickets).${requestIdNote(requestId)}`,
      { cause, requestId, resumeDraftId: draft.id },
    );
  }

  private get timing(): CreateTiming {
    return { callMs: this.options.timeoutMs ?? 15_000, lagWaitMs: this.options.lagWaitMs ?? 20_000, settleMs: this.options.settleMs ?? 2_000 };
  }

  /** The case whose description ends with the draft's marker: by keyword search, and when `thorough` in the newest pages too. */
  private async findByMarker(draftId: string, thorough: boolean, ctx: OperationContext): Promise<string | undefined> {
    const marker = draftMarker(draftId);
    const hit = (rows: OsmCaseRow[]) => rows.find((row) => row.simple_description?.includes(marker))?.incident_id;
    const searched = await this.listRows([['search_key', draftId], ['offset', '0'], ['limit', '20']], 'looking for the case of the draft', ctx).catch((error: unknown) => {
      // A keyword the service refuses only means the search cannot help; the scan below still can.
      if (error instanceof DbTicketsError && error.kind === 'usage') return { rows: [], total: 0 };
      throw error;
    });
    const found = hit(searched.rows);
    if (found || !thorough) return found;
    for (let page = 0; page < 3; page++) {
      const recent = await this.listRows([['offset', String(page * scanPageSize)], ['limit', String(scanPageSize)]], 'looking for the case of the draft', ctx);
      const id = hit(recent.rows);
      if (id) return id;
      if (recent.rows.length < scanPageSize) break;
    }
    return undefined;
  }

  private async listRows(query: Query, action: string, ctx: OperationContext): Promise<{ rows: OsmCaseRow[]; total: number }> {
    const answer = await this.client.call<{ total_count?: number; incident_info_list?: OsmCaseRow[] }>('GET', `${SR}/cases`, { action, query, signal: ctx.signal });
    const rows = Array.isArray(answer.incident_info_list) ? answer.incident_info_list.filter((row) => typeof row?.incident_id === 'string') : [];
    return { rows, total: Number(answer.total_count ?? rows.length) };
  }

  /** The profile's problem type, checked against the service's problem types (and its region rule). */
  private problemType(types: ProblemType[]): ProblemType {
    const profile = this.profile;
    const list = types
      .slice(0, 12)
      .map((t) => `${t.business_type_id} (${t.business_type_name ?? '?'})`)
      .join(', ');
    const within = profile.productCategoryId ? ` of product category ${profile.productCategoryId}` : '';
    if (!profile.businessTypeId) {
      throw new DbTicketsError('config', `Profile "${profile.name}" names no problem type for new cases: set "businessTypeId" to one of the service's problem types${within}: ${list || 'none found (check "productCategoryId")'}. db-tickets check lists them.`);
    }
    const type = types.find((t) => t.business_type_id === profile.businessTypeId);
    if (!type) {
      throw new DbTicketsError('config', `"businessTypeId" ${profile.businessTypeId} in profile "${profile.name}" is not a problem type${within} of the ticket service: use one of ${list || 'none found (check "productCategoryId")'}.`);
    }
    if (String(type.case_type) === '5' && !profile.regionId) {
      throw new DbTicketsError('config', `The problem type ${type.business_type_id} (${type.business_type_name ?? '?'}) is a fault report, which needs a region: set "regionId" in profile "${profile.name}", e.g. cn-north-4.`);
    }
    return type;
  }

  private async problemTypes(ctx: OperationContext): Promise<ProblemType[]> {
    const product = this.profile.productCategoryId;
    const answer = await this.client.call<{ incident_business_type_list?: ProblemType[] }>('GET', `${SR}/config/problems`, {
      action: 'reading the problem types',
      query: product ? [['product_category_id', product]] : [],
      signal: ctx.signal,
    });
    return (answer.incident_business_type_list ?? []).filter((t) => typeof t?.business_type_id === 'string');
  }

  /** Uploads SQL too long for the description as a .txt attachment (the service does not take .sql files). */
  private async uploadSql(draft: TicketDraft, name: string, ctx: OperationContext): Promise<string> {
    const { accessory_limit: limit = {} } = await this.client.call<{ accessory_limit?: { limit_size?: string; limit_file_type?: string } }>('GET', `${SR}/accessorys/limits`, { action: 'reading the attachment limits', signal: ctx.signal });
    const types = (limit.limit_file_type ?? '').split(/[,;\s]+/).map((t) => t.replace(/^\./, '').toLowerCase()).filter(Boolean);
    if (types.length > 0 && !types.includes('txt')) {
      throw new DbTicketsError('usage', `The SQL of "${draft.title}" does not fit in a case description (${descriptionMax} characters), and the service takes no text attachments (only ${types.join(', ')}): shorten the SQL or split it into several tickets.`);
    }
    const bytes = Buffer.from(draft.sql, 'utf8');
    const maxMb = Number(limit.limit_size);
    if (Number.isFinite(maxMb) && maxMb > 0 && bytes.length > maxMb * 1024 * 1024) {
      throw new DbTicketsError('usage', `The SQL of "${draft.title}" (${bytes.length} bytes) is larger than the service's attachment limit of ${maxMb} MB: split it into several tickets.`);
    }
    ctx.onProgress?.({ message: `Attaching the SQL as ${name}` });
    const answer = await this.client.call<{ accessory_id?: string }>('POST', `${SR}/accessorys/json-format-content`, {
      action: `attaching the SQL of "${draft.title}"`,
      body: { accessory_name: name, accessory_from: 'incident', upload_type: 0, accessory_data: bytes.toString('base64') },
      signal: ctx.signal,
    });
    if (!answer.accessory_id) throw new DbTicketsError('unavailable', `The ticket service took the SQL attachment of "${draft.title}" but gave no attachment id: submit the draft later; no case was created.`);
    return answer.accessory_id;
  }

  async list(filter: ListFilter, page: PageRequest, ctx: OperationContext = {}): Promise<Page<TicketSummary>> {
    const start = page.cursor === undefined ? 0 : Number(page.cursor);
    if (!Number.isInteger(start) || start < 0) throw new DbTicketsError('usage', `The cursor "${page.cursor}" is not one this Huawei Cloud profile gave: list again without it.`);
    const size = Math.min(Math.max(page.size, 1), scanPageSize);
    const words = (filter.text ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 3);
    const keyword: Query = words.map((w): [string, string] => ['search_key', w]);
    const states = filter.states && filter.states.length > 0 ? filter.states : undefined;
    const codes = states ? [...new Set(states.flatMap(codesOf))] : [];
    const serviceFilter = states && !states.includes('unknown') && codes.length === 1 ? codes[0] : undefined;
    if (!states || serviceFilter !== undefined) {
      const query: Query = [...keyword, ...(serviceFilter === undefined ? [] : [['status', String(serviceFilter)] as [string, string]]), ['offset', String(start)], ['limit', String(size)]];
      const { rows, total } = await this.listRows(query, 'listing cases', ctx);
      const next = start + rows.length;
      return { items: await this.withUnread(rows.map((row) => summaryOf(row)), ctx), total, ...(rows.length > 0 && next < total ? { nextCursor: String(next) } : {}) };
    }
    // Several status codes (or unknown ones): the service filters by one code only, so the states are matched here,
    // paging on through the service's pages until a page of matches is full or none remain.
    const wanted = new Set<TicketState>(states);
    const items: TicketSummary[] = [];
    for (let offset = start; ; offset += scanPageSize) {
      const { rows, total } = await this.listRows([...keyword, ['offset', String(offset)], ['limit', String(scanPageSize)]], 'listing cases', ctx);
      for (let i = 0; i < rows.length; i++) {
        const ticket = summaryOf(rows[i]);
        if (!wanted.has(ticket.status.state)) continue;
        items.push(ticket);
        if (items.length === size) {
          const next = offset + i + 1;
          return { items: await this.withUnread(items, ctx), ...(next < total ? { nextCursor: String(next) } : {}) };
        }
      }
      if (rows.length === 0 || offset + rows.length >= total) return { items: await this.withUnread(items, ctx) };
    }
  }

  /**
   * The engineers' replies not read yet, for a page of cases: one call for the page. The count only adds news, so a
   * service that does not answer it leaves the page as it is.
   */
  private async withUnread(items: TicketSummary[], ctx: OperationContext): Promise<TicketSummary[]> {
    if (items.length === 0) return items;
    let unread: Map<string, number>;
    try {
      const answer = await this.client.call<{ imunread?: Array<{ incident_id?: string; unread_num?: number }> }>('GET', `${SR}/cases/instant-messages/unread`, {
        action: 'counting unread replies',
        query: [['case_ids', items.map((t) => t.id).join(',')]],
        signal: ctx.signal,
      });
      unread = new Map((answer.imunread ?? []).map((u) => [String(u.incident_id), Number(u.unread_num ?? 0)]));
    } catch (error) {
      if (error instanceof DbTicketsError && error.kind === 'cancelled') throw error;
      return items;
    }
    return items.map((t) => ((unread.get(t.id) ?? 0) > 0 ? { ...t, unreadReplies: unread.get(t.id) } : t));
  }

  async get(id: string, ctx: OperationContext = {}): Promise<TicketDetail> {
    const caseId = parseTicketId(id);
    const path = `${SR}/cases/${encodeURIComponent(caseId)}`;
    const [detailAnswer, logsAnswer] = await Promise.all([
      this.client.call<{ incident_detail_info?: OsmCaseDetail }>('GET', path, { action: `reading case ${caseId}`, signal: ctx.signal }),
      this.client.call<{ incident_operate_log_list?: OsmOperateLog[] }>('GET', `${path}/operate-logs`, { action: `reading the history of case ${caseId}`, query: [['offset', '0'], ['limit', '100']], signal: ctx.signal }),
    ]);
    const detail = detailAnswer.incident_detail_info;
    if (!detail) throw new DbTicketsError('unavailable', `The ticket service answered the detail of case ${caseId} without it: try again later.`);
    const row: OsmCaseRow = { ...detail, incident_id: detail.incident_id || caseId };
    const parts = parseDescription(detail.simple_description);
    const messages = detail.message_list ?? [];
    const files = messages.flatMap((m) => m.accessory_list ?? []).filter((a) => a.accessory_id);
    let sql = parts.sql;
    if (parts.sqlFile) {
      const file = files.find((f) => f.file_actual_name === parts.sqlFile);
      sql = file ? await this.client.call<string>('GET', `${SR}/accessorys/${encodeURIComponent(file.accessory_id!)}`, { action: `reading the SQL of case ${caseId}`, file: true, signal: ctx.signal }) : '';
    }
    const summary = summaryOf(row, { ...parts, sql });
    this.headlines.set(caseId, { title: summary.title, updatedAt: summary.updatedAt });
    await this.markRepliesRead(caseId, messages, ctx);
    return {
      ...summary,
      sql,
      reason: parts.reason,
      stakeholders: [],
      approvals: [],
      comments: commentsOf(messages),
      attachments: files.map((f) => ({ name: f.file_actual_name || f.accessory_id!, id: f.accessory_id! })),
      history: historyOf(logsAnswer.incident_operate_log_list ?? [], detail),
    };
  }

  /**
   * The detail shows every message, so they count as read from now on (for the unread replies of the list): marked
   * once there are replies from others that this process has not marked yet — the user's own messages are never unread.
   */
  private async markRepliesRead(caseId: string, messages: OsmMessage[], ctx: OperationContext): Promise<void> {
    const replies = messages.filter((m) => m.type !== 0).length;
    if (replies <= (this.repliesRead.get(caseId) ?? 0)) return;
    const marked = await this.client.call('POST', `${SR}/cases/${encodeURIComponent(caseId)}/instant-messages/unread`, { action: `marking the replies of case ${caseId} read`, body: {}, signal: ctx.signal }).then(
      () => true,
      () => false,
    );
    if (marked) this.repliesRead.set(caseId, replies);
  }

  /**
   * The case's status call alone (GET …/status); its title and times come from the detail, read on the first look of
   * this process at the case.
   */
  async status(id: string, ctx: OperationContext = {}): Promise<TicketHeadline> {
    const caseId = parseTicketId(id);
    const known = this.headlines.get(caseId);
    if (!known) {
      const summary = await this.summaryById(caseId, ctx);
      return { id: summary.id, title: summary.title, status: summary.status, updatedAt: summary.updatedAt };
    }
    return { id: caseId, ...known, status: statusOf(await this.statusCode(caseId, ctx)) };
  }

  async act(id: string, request: ActionRequest, ctx: OperationContext = {}): Promise<TicketDetail> {
    requireDeclared(this.capabilities, request.action, service, 'Huawei Cloud support handles the case; you can cancel, close, urge, comment on or delete it.');
    const caseId = parseTicketId(id);
    const path = `${SR}/cases/${encodeURIComponent(caseId)}`;
    const { status: code } = await this.client.call<{ status?: number }>('GET', `${path}/status`, { action: `reading the status of case ${caseId}`, signal: ctx.signal });
    if (!actionsFor(code).includes(request.action)) {
      throw new DbTicketsError('conflict', `Case ${caseId} is ${statusLabel(statusOf(code))} (status ${code ?? '?'}), so it cannot be ${verb(request.action)}: that applies only ${actionWhen[request.action]}.`);
    }
    const comment = request.comment?.trim() || undefined;
    if (request.action === 'comment') {
      if (!comment) throw new DbTicketsError('usage', 'The comment is empty: write the text to add.');
      await this.client.call('POST', `${path}/message`, { action: `adding a comment to case ${caseId}`, body: { message: { content: comment } }, signal: ctx.signal });
    } else {
      const actionId = request.action === 'urge' ? 'press' : request.action;
      await this.client.call('POST', `${path}/action`, { action: `${{ cancel: 'cancelling', close: 'closing', urge: 'urging', delete: 'deleting' }[request.action as 'cancel'] ?? request.action} case ${caseId}`, query: [['action_id', actionId]], body: comment ? { operate_desc: comment } : {}, signal: ctx.signal });
    }
    return this.get(caseId, ctx);
  }

  /** Scores a completed case: the rating for each of the service's satisfaction dimensions, with the comment as the judgement. */
  async rate(id: string, rating: TicketRating, ctx: OperationContext = {}): Promise<TicketDetail> {
    const caseId = parseTicketId(id);
    if (!Number.isInteger(rating.score) || rating.score < 1 || rating.score > 5) {
      throw new DbTicketsError('usage', `The rating must be a whole number from 1 to 5, not ${rating.score}.`);
    }
    const judgement = rating.comment?.trim() ?? '';
    if (judgement.length > judgementMax) throw new DbTicketsError('usage', `The comment of a score takes at most ${judgementMax} characters (this one has ${judgement.length}): shorten it.`);
    const path = `${SR}/cases/${encodeURIComponent(caseId)}`;
    const code = await this.statusCode(caseId, ctx);
    if (code !== 3) {
      throw new DbTicketsError('conflict', `Case ${caseId} is ${statusLabel(statusOf(code))} (status ${code ?? '?'}), so it cannot be scored: only a completed case can. Close it first once the problem is solved.`);
    }
    const answer = await this.client.call<unknown>('GET', `${SR}/config/satisfaction-dimensions`, { action: 'reading the satisfaction dimensions', signal: ctx.signal });
    const dimensions = (Array.isArray(answer) ? answer : ((answer as { satisfaction_list?: unknown[] })?.satisfaction_list ?? [])) as Array<{ satisfaction_id?: number }>;
    const ids = dimensions.map((d) => d?.satisfaction_id).filter((d): d is number => Number.isInteger(d));
    if (ids.length === 0) throw new DbTicketsError('unavailable', 'The ticket service lists no satisfaction dimensions to score: try again later, or score the case in the console.');
    await this.client.call('POST', `${path}/score`, {
      action: `scoring case ${caseId}`,
      body: { judgement, incident_satisfaction_list: ids.map((satisfaction_id) => ({ satisfaction_id, satisfaction_value: rating.score })) },
      signal: ctx.signal,
    });
    return this.get(caseId, ctx);
  }

  /** Related cases: at most three per case. */
  readonly relations: TicketRelations = {
    max: maxRelations,
    list: (id, ctx = {}) => this.related(parseTicketId(id), ctx),
    add: async (id, others, ctx = {}) => {
      const caseId = parseTicketId(id);
      const wanted = [...new Set(others.map((other) => parseTicketId(other)))];
      if (wanted.length === 0) throw new DbTicketsError('usage', `Name the cases to relate to case ${caseId}.`);
      if (wanted.includes(caseId)) throw new DbTicketsError('usage', `Case ${caseId} cannot be related to itself.`);
      const current = await this.related(caseId, ctx);
      const after = new Set([...current.map((c) => c.id), ...wanted]);
      if (after.size > maxRelations) {
        throw new DbTicketsError('usage', `A case has at most ${maxRelations} related cases; case ${caseId} has ${current.length}${current.length ? ` (${current.map((c) => c.id).join(', ')})` : ''}, and relating ${wanted.join(', ')} would make ${after.size}: remove one first.`);
      }
      await this.client.call('POST', `${SR}/cases/${encodeURIComponent(caseId)}/relations`, { action: `relating case ${caseId} to ${wanted.join(', ')}`, body: { related_id_list: wanted }, signal: ctx.signal });
      return this.related(caseId, ctx);
    },
    remove: async (id, other, ctx = {}) => {
      const caseId = parseTicketId(id);
      const otherId = parseTicketId(other);
      const current = await this.related(caseId, ctx);
      if (!current.some((c) => c.id === otherId)) {
        throw new DbTicketsError('usage', `Case ${otherId} is not related to case ${caseId}${current.length ? `: its related cases are ${current.map((c) => c.id).join(', ')}` : ', which has no related cases'}.`);
      }
      await this.client.call('DELETE', `${SR}/cases/${encodeURIComponent(caseId)}/relations`, { action: `removing the relation of case ${caseId} to ${otherId}`, body: { related_id: otherId }, signal: ctx.signal });
      return this.related(caseId, ctx);
    },
  };

  /**
   * A case's attachments (the files on its messages, the SQL too when it was too long for the description): saved
   * one at a time, streamed to disk; deleted only while the service allows it — it keeps the files that are part of
   * a case or message (spec §2.7), and says so.
   */
  readonly attachments: TicketAttachments = {
    list: (id, ctx = {}) => this.caseFiles(parseTicketId(id), ctx),
    download: async (id, attachmentId, target, ctx = {}) => {
      const caseId = parseTicketId(id);
      const file = await this.caseFile(caseId, attachmentId, ctx);
      const message = `Downloading ${file.name} of case ${caseId}`;
      ctx.onProgress?.({ message, done: 0 });
      try {
        const bytes = await this.client.download(`${SR}/accessorys/${encodeURIComponent(file.id!)}`, target.path, {
          action: `downloading the attachment ${file.name} of case ${caseId}`,
          signal: ctx.signal,
          onProgress: (done, total) => ctx.onProgress?.({ message, done, total }),
        });
        return { path: target.path, bytes };
      } catch (error) {
        const refusal = businessRefusal(error);
        if (refusal) {
          throw new DbTicketsError('conflict', `Huawei Cloud refused the attachment ${file.name} of case ${caseId} (${said(refusal)}): it may have been removed; list the case's attachments again. No file was saved at ${target.path}.${requestIdNote(refusal.requestId)}`, { requestId: refusal.requestId, cause: refusal });
        }
        if (error instanceof DbTicketsError) throw new DbTicketsError(error.kind, `${error.message} No file was saved at ${target.path}.`, error.details);
        throw error;
      }
    },
    remove: async (id, attachmentId, ctx = {}) => {
      const caseId = parseTicketId(id);
      const file = await this.caseFile(caseId, attachmentId, ctx);
      try {
        await this.client.call('DELETE', `${SR}/accessorys/${encodeURIComponent(file.id!)}`, { action: `deleting the attachment ${file.name} of case ${caseId}`, signal: ctx.signal });
      } catch (error) {
        const refusal = businessRefusal(error);
        if (refusal) {
          throw new DbTicketsError(
            'conflict',
            `Huawei Cloud keeps the attachment ${file.name} of case ${caseId} (${said(refusal)}): the service deletes only files not yet part of a case or message.${requestIdNote(refusal.requestId)}`,
            { requestId: refusal.requestId, cause: refusal },
          );
        }
        throw error;
      }
      return this.caseFiles(caseId, ctx);
    },
  };

  private async caseFiles(caseId: string, ctx: OperationContext): Promise<TicketAttachment[]> {
    const { incident_detail_info: detail } = await this.client.call<{ incident_detail_info?: OsmCaseDetail }>('GET', `${SR}/cases/${encodeURIComponent(caseId)}`, { action: `reading the attachments of case ${caseId}`, signal: ctx.signal });
    if (!detail) throw new DbTicketsError('unavailable', `The ticket service answered the detail of case ${caseId} without it: try again later.`);
    return (detail.message_list ?? [])
      .flatMap((m) => m.accessory_list ?? [])
      .filter((a) => a.accessory_id)
      .map((a) => ({ name: a.file_actual_name || a.accessory_id!, id: a.accessory_id! }));
  }

  /** One of the case's attachments, by id: the service's own ids are only used for files the case has. */
  private async caseFile(caseId: string, attachmentId: string, ctx: OperationContext): Promise<TicketAttachment> {
    const files = await this.caseFiles(caseId, ctx);
    const file = files.find((f) => f.id === attachmentId);
    if (!file) {
      throw new DbTicketsError('usage', `Case ${caseId} has no attachment ${attachmentId}${files.length ? `: its attachments are ${files.map((f) => `${f.name} (${f.id})`).join(', ')}` : '; it has no attachments'}.`);
    }
    return file;
  }

  private async related(caseId: string, ctx: OperationContext): Promise<LinkedTicket[]> {
    const answer = await this.client.call<{ case_relation_list?: Array<{ case_id?: string; simple_description?: string; user_name?: string }> }>('GET', `${SR}/cases/${encodeURIComponent(caseId)}/relations`, {
      action: `reading the related cases of case ${caseId}`,
      signal: ctx.signal,
    });
    return (answer.case_relation_list ?? [])
      .filter((r) => typeof r?.case_id === 'string' && r.case_id)
      .map((r) => ({ id: r.case_id!, title: parseDescription(r.simple_description).title, ...(r.user_name ? { submitter: r.user_name } : {}) }));
  }

  private async statusCode(caseId: string, ctx: OperationContext): Promise<number | undefined> {
    const { status } = await this.client.call<{ status?: number }>('GET', `${SR}/cases/${encodeURIComponent(caseId)}/status`, { action: `reading the status of case ${caseId}`, signal: ctx.signal });
    return status;
  }

  async redraft(id: string, ctx: OperationContext = {}): Promise<TicketDraft> {
    return redraftOf(await this.get(id, ctx));
  }

  async download(): Promise<DownloadResult> {
    throw new DbTicketsError('usage', 'Huawei Cloud cases have no result file to download: show the case to read the engineers\' replies.');
  }

  async searchDatabases(): Promise<DatabaseRef[]> {
    return [];
  }

  async searchUsers(): Promise<UserRef[]> {
    return [];
  }

  /** The service's product categories, and the problem types of the category chosen so far. */
  async profileChoices(field: string, ctx: OperationContext = {}): Promise<ProfileChoice[]> {
    if (field === 'productCategoryId') {
      const products = await this.client.call<{ incident_product_category_list?: ProductCategory[] }>('GET', `${SR}/config/product-categories`, { action: 'reading the product categories', signal: ctx.signal });
      return (products.incident_product_category_list ?? [])
        .filter((p) => p?.incident_product_category_id)
        .map((p) => ({ value: p.incident_product_category_id, label: p.incident_product_category_name ?? p.incident_product_category_id, description: p.incident_product_category_id }));
    }
    if (field === 'businessTypeId') {
      return (await this.problemTypes(ctx)).map((t) => ({
        value: t.business_type_id,
        label: t.business_type_name ?? t.business_type_id,
        description: `${t.business_type_id}${String(t.case_type) === '5' ? ' · fault report: needs a region' : ''}`,
      }));
    }
    return [];
  }

  /** The account, its id, how the profile signs in, and the product category and problem type choices. */
  async check(ctx: OperationContext = {}): Promise<BackendCheck> {
    const profile = this.profile;
    const identity = await this.options.identity(ctx.signal);
    const facts: BackendCheck['facts'] = [
      { label: 'Account', value: identity.domainName ?? profile.domainName ?? '(name not known)' },
      { label: 'Domain id', value: identity.domainId ?? '(not known)' },
      { label: 'Signed in', value: profile.auth === 'token' ? `as IAM user ${profile.userName} (token)` : `with access key from ${this.client.credentialSource ?? '?'}` },
      { label: 'Ticket service', value: `${this.client.options.osm.origin} (${profile.site === 'intl' ? 'International site' : 'China site'})` },
    ];
    const warnings: string[] = [];
    const products = await this.client.call<{ incident_product_category_list?: ProductCategory[] }>('GET', `${SR}/config/product-categories`, { action: 'reading the product categories', signal: ctx.signal });
    const productList = (products.incident_product_category_list ?? []).filter((p) => p?.incident_product_category_id);
    const product = productList.find((p) => p.incident_product_category_id === profile.productCategoryId);
    facts.push({ label: 'Product category', value: product ? `${product.incident_product_category_id} (${product.incident_product_category_name ?? '?'})` : profile.productCategoryId ? `${profile.productCategoryId} (not found)` : '(none set)' });
    if (!product) {
      const choices = productList.slice(0, 15).map((p) => `${p.incident_product_category_id} (${p.incident_product_category_name ?? '?'})`).join(', ');
      if (profile.productCategoryId) warnings.push(`"productCategoryId" ${profile.productCategoryId} is not one of the service's product categories: use one of ${choices}.`);
      else facts.push({ label: 'Product categories', value: choices || '(none)' });
    }
    const types = await this.problemTypes(ctx);
    const type = types.find((t) => t.business_type_id === profile.businessTypeId);
    facts.push({ label: 'Problem type', value: type ? `${type.business_type_id} (${type.business_type_name ?? '?'}${String(type.case_type) === '5' ? ', fault report' : ''})` : profile.businessTypeId ? `${profile.businessTypeId} (not found)` : '(none set)' });
    if (!type) {
      const choices = types.slice(0, 15).map((t) => `${t.business_type_id} (${t.business_type_name ?? '?'})`).join(', ');
      facts.push({ label: 'Problem types', value: choices || '(none)' });
      warnings.push(profile.businessTypeId ? `"businessTypeId" ${profile.businessTypeId} is not a problem type here: pick one of the problem types listed.` : 'No "businessTypeId": set one of the problem types listed to submit cases.');
    } else if (String(type.case_type) === '5' && !profile.regionId) {
      warnings.push(`The problem type is a fault report, which needs a region: set "regionId" (e.g. cn-north-4).`);
    }
    return { facts, warnings };
  }

  async dispose(): Promise<void> {
    await this.options.http.close();
  }

  private async summaryById(id: string, ctx: OperationContext): Promise<TicketSummary> {
    const { incident_detail_info: detail } = await this.client.call<{ incident_detail_info?: OsmCaseDetail }>('GET', `${SR}/cases/${encodeURIComponent(id)}`, { action: `reading case ${id}`, signal: ctx.signal });
    const summary = summaryOf({ ...(detail ?? {}), incident_id: detail?.incident_id || id });
    if (detail) this.headlines.set(id, { title: summary.title, updatedAt: summary.updatedAt });
    return summary;
  }
}

function verb(action: string): string {
  return { cancel: 'cancelled', close: 'closed', urge: 'urged', comment: 'commented on', delete: 'deleted' }[action] ?? action;
}

/** The service's own refusal (an OSM code with HTTP 2xx) behind a failed call, as opposed to the gateway's or the network's. */
function businessRefusal(error: unknown): OsmRefusal | undefined {
  const cause = error instanceof DbTicketsError ? error.cause : error;
  return cause instanceof OsmRefusal && cause.status < 300 && cause.code.startsWith('OSM.') ? cause : undefined;
}

function said(refusal: OsmRefusal): string {
  return refusal.serviceMessage ? `${refusal.code}: ${refusal.serviceMessage.replace(/\s+/g, ' ').trim().slice(0, 300)}` : refusal.code;
}
