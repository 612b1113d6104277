import { hostname } from 'node:os';
import { join } from 'node:path';
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
  StorageCheck,
  TicketDetail,
  TicketSummary,
  UserRef,
} from '../../core/backend/backend';
import { redraftOf } from '../../core/backend/redraft';
import { parseTicketId as ticketId } from '../../core/backend/ticketIds';
import { DbTicketsError } from '../../core/errors';
import { requireValidDraft, type TicketDraft } from '../../core/model/ticketDraft';
import { type ConnectionConfig, driverDialects } from './db/connectionConfig';
import type { ExportFormat } from './db/engine';
import { type EngineFactory, EngineCache } from './engineCache';
import { type ExecutionOutcome, runChange, runExport } from './execution';
import { type PrecheckOutcome, describeFailure, estimateTicketRows, messageOf, precheck } from './precheck';
import { defaultHeartbeatMs, folderHeartbeats, type HeartbeatSite, interruption } from './executionHeartbeat';
import { interruptedOutcome, removeLeftovers } from './interruptedExecution';
import { downloadStoredResult, type ResultSite } from './storedResult';
import type { EventOf, StoreEvent } from './store/events';
import type { TicketProjection, TicketRecord } from './store/ticketProjection';
import type { LocalStore } from './store/localStore';
import type { StoreProblem } from './store/storeProblems';
import { TicketStore } from './store/ticketStore';
import { canHappen } from './store/transitions';
import { actionConflict, actionEvents, isLocalAction, localActions, unknownState, type Viewer } from './ticketActions';
import { TicketQuery } from './ticketQuery';
import { toDetail, toSummary, user } from './ticketView';

/** A database the Local backend may run tickets on; the connection configs satisfy it. */
export interface LocalConnection {
  name: string;
  driver?: string;
}

export interface LocalBackendOptions {
  /** Folder holding tickets.jsonl (the event log) and results/<id>/ (export files). */
  storeFolder: string;
  /** Where the tickets are kept instead of the folder's log (a team's PostgreSQL database), with its heartbeats. */
  store?: {
    tickets: LocalStore;
    heartbeats: HeartbeatSite;
    /** Whether this user records the end of executions whose process is gone (on a team store: an executor). */
    recovers: boolean;
    /** Where export results are kept for everyone to download, beside this computer's copy in the store folder. */
    results?: ResultSite;
    /** The roles the user holds there, which decide the actions offered; absent, anyone may do anything. */
    team?: Viewer['team'];
    check?: () => Promise<BackendCheck>;
    watch?: Backend['watchChanges'];
  };
  /** Who uses the backend: a configured name, or the OS user (`os.userInfo().username`). Recorded on every event. */
  actor: string;
  /** Opens the engine for a configured connection name; called once per connection and kept until `dispose`. */
  openEngine: EngineFactory;
  /** The configured connections, read on each use so configuration changes apply. */
  connections: () => readonly LocalConnection[];
  /** Per-statement timeout for prechecks and executions; 0 or absent: the engine's default. */
  statementTimeoutMs?: number;
  /** Export format when the draft does not choose one (`backendFields.exportFormat`). Default csv. */
  exportFormat?: ExportFormat;
  now?: () => Date;
  /** A store lock not refreshed for this long is taken over (its holder died). Default 10 s, at least 2 s. */
  staleLockMs?: number;
  /** How often an execution renews its heartbeat, by which other computers tell a crashed execution. Default 5 s. */
  heartbeatMs?: number;
  /** Told about each problem found in the log: a line skipped (damaged, cut off, invalid, not fitting) or a merged duplicate number. */
  onStoreProblem?: (problem: StoreProblem) => void;
}

const exportFormats: readonly ExportFormat[] = ['csv', 'jsonl'];

/**
 * The built-in ticket workflow: submit → precheck → pending approval → approve/reject → execute → succeeded or
 * failed, recorded in an event log that several processes may share.
 */
export class LocalBackend implements Backend {
  readonly capabilities: BackendCapabilities = {
    kinds: ['DATA_EXPORT', 'SCHEMA_CHANGE', 'DATA_CHANGE'],
    actions: localActions,
    listScopes: ['mine', 'awaiting_me', 'related', 'all'],
    searchDatabases: true,
    searchUsers: true,
    download: true,
    attachments: false,
    webConsole: false,
  };
  private readonly store: LocalStore;
  private readonly heartbeats: HeartbeatSite;
  private readonly query = new TicketQuery();
  private readonly engines: EngineCache;
  private readonly actor: string;
  private readonly viewer: Viewer;
  private readonly now: () => Date;
  private readonly heartbeatMs: number;

  constructor(private readonly options: LocalBackendOptions) {
    this.actor = options.actor;
    this.viewer = { name: options.actor, team: options.store?.team };
    this.heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
    this.now = options.now ?? (() => new Date());
    this.store = options.store?.tickets ?? new TicketStore(options.storeFolder, { staleLockMs: options.staleLockMs, onProblem: options.onStoreProblem });
    this.heartbeats = options.store?.heartbeats ?? folderHeartbeats(options.storeFolder);
    if (options.store?.check) this.check = options.store.check;
    if (options.store?.watch) this.watchChanges = options.store.watch;
    this.engines = new EngineCache(options.openEngine);
  }

  async storageProblems(_ctx?: OperationContext, options: StorageCheck = {}): Promise<StoreProblem[]> {
    if (options.wholeLog) return [...(await this.store.readWholeLog())];
    await this.store.read();
    return [...this.store.problems];
  }

  /**
   * Prechecks the draft, then records the ticket and its precheck in one append. A database that cannot be opened
   * or logged into throws and records nothing, so submitting the same draft again after fixing it just works.
   */
  async submit(input: TicketDraft, ctx: OperationContext = {}): Promise<TicketSummary> {
    const draft = this.checkDraft(input);
    const existing = (await this.store.read()).findByDraft(draft.id);
    if (existing) return toSummary(existing, this.viewer);
    this.requireConnection(draft.database);
    const submittedAt = this.now().toISOString();
    const outcome = await this.precheck(draft, ctx);
    if (ctx.signal?.aborted) throw new DbTicketsError('cancelled', `Submitting "${draft.title}" was cancelled during its precheck; no ticket was created.`);
    const id = await this.store.transact((tickets) => {
      const found = tickets.findByDraft(draft.id);
      if (found) return { events: [], result: found.id };
      const id = tickets.nextId();
      return { events: [{ ...this.submitted(id, draft, tickets), at: submittedAt }, { type: 'prechecked', ...this.base(id), ...outcome }], result: id };
    });
    return toSummary(await this.record(id), this.viewer);
  }

  async list(filter: ListFilter, page: PageRequest): Promise<Page<TicketSummary>> {
    await this.recoverInterrupted();
    const found = this.query.page(await this.store.read(), filter, page, this.viewer);
    return { ...found, items: found.items.map((ticket) => toSummary(ticket, this.viewer)) };
  }

  async get(id: string): Promise<TicketDetail> {
    await this.recoverInterrupted(ticketId(id));
    const tickets = await this.store.read();
    return this.detail(requireTicket(tickets, ticketId(id), this.store.location), tickets);
  }

  async act(id: string, request: ActionRequest, ctx: OperationContext = {}): Promise<TicketDetail> {
    const { action } = request;
    if (!isLocalAction(action)) {
      const redraft = action === 'reopen' ? ' To try a finished ticket again, re-submit it as a new draft.' : '';
      throw new DbTicketsError('usage', `The Local backend has no "${action}" action: its actions are ${localActions.join(', ')}.${redraft}`);
    }
    const comment = request.comment?.trim() || undefined;
    if (action === 'comment' && !comment) throw new DbTicketsError('usage', 'The comment is empty: write what you want to say.');
    const key = ticketId(id);
    await this.recoverInterrupted(key);
    if (action === 'execute') return this.execute(key, ctx);
    await this.store.transact((tickets) => {
      const ticket = requireTicket(tickets, key, this.store.location);
      if (ticket.unknownEvent) throw unknownState(ticket);
      if (!canHappen(actionEvents[action], ticket.state)) throw actionConflict(ticket, action);
      const base = this.base(key);
      const event: StoreEvent =
        action === 'approve'
          ? { type: 'approved', ...base, self: ticket.submitter === this.actor, comment }
          : action === 'comment'
            ? { type: 'commented', ...base, comment: comment! }
            : { type: actionEvents[action] as 'rejected' | 'cancelled', ...base, comment };
      return { events: [event], result: undefined };
    });
    return this.get(key);
  }

  async redraft(id: string): Promise<TicketDraft> {
    const tickets = await this.store.read();
    const ticket = requireTicket(tickets, ticketId(id), this.store.location);
    return redraftOf(toDetail(ticket, this.viewer, tickets), ticket.format ? { exportFormat: ticket.format } : {});
  }

  async download(id: string, target: DownloadTarget, ctx: OperationContext = {}): Promise<DownloadResult> {
    await this.recoverInterrupted(ticketId(id));
    const ticket = requireTicket(await this.store.read(), ticketId(id), this.store.location);
    if (ticket.kind !== 'DATA_EXPORT') {
      throw new DbTicketsError('usage', `Ticket #${ticket.id} is a ${ticket.kind === 'SCHEMA_CHANGE' ? 'schema' : 'data'} change: only data exports have a result file to download.`);
    }
    const ended = ticket.execution?.ended;
    if (ended?.type !== 'execution_succeeded' || !ended.result) {
      throw new DbTicketsError('conflict', `Ticket #${ticket.id} has no result to download: it is ${ticket.state.replace('_', ' ')}. The result exists once the export has been executed and succeeded.`);
    }
    const shared = this.options.store?.results;
    if (shared) return shared.download(ticket.id, ended.result, target.path, ctx);
    return downloadStoredResult(this.options.storeFolder, ticket.id, ended.result, target.path, ctx);
  }

  async searchDatabases(text: string): Promise<DatabaseRef[]> {
    const needle = text.trim().toLowerCase();
    return this.options
      .connections()
      .filter((connection) => connection.name.toLowerCase().includes(needle))
      .map((connection) => ({ id: connection.name, name: connection.name, engine: connection.driver }));
  }

  async estimateRows(ticket: Pick<TicketDraft, 'kind' | 'sql' | 'database'>, ctx: OperationContext = {}): Promise<number | undefined> {
    const engine = await this.engines.get(ticket.database);
    return estimateTicketRows(ticket, engine, { signal: ctx.signal, timeoutMs: this.options.statementTimeoutMs });
  }

  async searchUsers(text: string): Promise<UserRef[]> {
    const needle = text.trim().toLowerCase();
    const names = new Set<string>([this.actor]);
    for (const ticket of (await this.store.read()).newestFirst()) {
      for (const name of ticket.participants) names.add(name);
      for (const name of ticket.stakeholders) names.add(name);
    }
    const known = [...names].filter((name) => name.toLowerCase().includes(needle)).sort();
    // Anyone may be named in the Local workflow: what is typed is offered too, after the people already seen.
    const typed = text.trim();
    return (typed && !names.has(typed) ? [...known, typed] : known).map(user);
  }

  check?: () => Promise<BackendCheck>;
  watchChanges?: Backend['watchChanges'];

  async dispose(): Promise<void> {
    await Promise.all([this.engines.closeAll(), this.store.settled()]);
    await this.store.close?.();
  }

  private checkDraft(input: TicketDraft): TicketDraft {
    const draft = requireValidDraft(input);
    const format = draft.backendFields.exportFormat;
    if (format !== undefined && !exportFormats.includes(format as ExportFormat)) {
      throw new DbTicketsError('usage', `Export format ${JSON.stringify(format)} is not one the Local backend writes: use csv or jsonl.`);
    }
    return draft;
  }

  private requireConnection(database: string): void {
    const names = this.options.connections().map((connection) => connection.name);
    if (names.includes(database)) return;
    const known = names.length > 0 ? `choose one of ${names.join(', ')}, or add` : 'add';
    throw new DbTicketsError('config', `Database "${database}" is not a configured connection: ${known} a connection named "${database}" to the configuration.`);
  }

  private submitted(id: string, draft: TicketDraft, tickets: TicketProjection): EventOf<'submitted'> {
    const from = draft.backendFields.resubmitOf;
    return {
      type: 'submitted',
      ...this.base(id),
      draftId: draft.id,
      title: draft.title.trim(),
      kind: draft.kind,
      database: draft.database.trim(),
      reason: draft.reason.trim(),
      stakeholders: draft.stakeholders,
      estimatedRows: draft.estimatedRows,
      format: draft.backendFields.exportFormat as ExportFormat | undefined,
      resubmitOf: typeof from === 'string' && tickets.get(from) ? from : undefined,
      sql: draft.sql,
    };
  }

  private async precheck(draft: TicketDraft, ctx: OperationContext): Promise<PrecheckOutcome> {
    ctx.onProgress?.({ message: `Prechecking on "${draft.database}"` });
    const engine = await this.engines.get(draft.database).catch((error: unknown) => {
      throw error instanceof DbTicketsError
        ? error
        : new DbTicketsError('failed', `Could not open database "${draft.database}": ${messageOf(error)} Check the connection, then submit again.`, { cause: error });
    });
    return precheck(draft, engine, { signal: ctx.signal, timeoutMs: this.options.statementTimeoutMs });
  }

  private async execute(id: string, ctx: OperationContext): Promise<TicketDetail> {
    await this.store.transact((tickets) => {
      const ticket = requireTicket(tickets, id, this.store.location);
      if (ticket.unknownEvent) throw unknownState(ticket);
      if (!canHappen('execution_started', ticket.state)) throw actionConflict(ticket, 'execute');
      return { events: [{ type: 'execution_started', ...this.base(id), host: hostname(), pid: process.pid, heartbeatMs: this.heartbeatMs }], result: undefined };
    });
    const heartbeat = await this.heartbeats.start(id, this.heartbeatMs);
    try {
      return await this.run(await this.record(id), ctx);
    } finally {
      await heartbeat.stop();
    }
  }

  private async run(ticket: TicketRecord, ctx: OperationContext): Promise<TicketDetail> {
    const { id } = ticket;
    let outcome: ExecutionOutcome;
    try {
      const engine = await this.engines.get(ticket.database).catch((error: unknown) => {
        throw new DbTicketsError('failed', describeFailure(error, `Could not open database "${ticket.database}"`, 'Execute the ticket again once the database is reachable.'));
      });
      const setup = { engine, folder: this.options.storeFolder, format: ticket.format ?? this.options.exportFormat ?? 'csv', timeoutMs: this.options.statementTimeoutMs, executedBy: this.actor, now: this.now };
      outcome = ticket.kind === 'DATA_EXPORT' ? await runExport(ticket, setup, ctx) : await runChange(ticket, setup, ctx);
      const result = outcome.type === 'execution_succeeded' ? outcome.result : undefined;
      const shared = this.options.store?.results;
      if (result && shared) await shared.share(id, join(this.options.storeFolder, result.file), result.bytes);
    } catch (error) {
      outcome = { type: 'execution_failed', message: error instanceof DbTicketsError ? error.message : `The execution stopped: ${messageOf(error)}` };
    }
    await this.store.transact(() => ({ events: [{ ...outcome, ...this.base(id) } as StoreEvent], result: undefined }));
    if (outcome.type === 'execution_cancelled') throw new DbTicketsError('cancelled', `Execution of #${id} was cancelled. ${outcome.message}`);
    return this.get(id);
  }

  /**
   * Records the end of executions whose process is gone (`interruption`): an export is approved again, a change
   * failed. Their leftovers are deleted first, while the log still shows them executing, so no new execution of
   * the ticket can have started. All executing tickets, or only `id`.
   */
  private async recoverInterrupted(id?: string): Promise<void> {
    if (this.options.store?.recovers === false) return;
    const tickets = await this.store.read();
    const executing = id === undefined ? tickets.executing() : [tickets.get(id)].filter((ticket): ticket is TicketRecord => ticket?.state === 'executing');
    for (const ticket of executing) {
      const reason = await interruption(this.heartbeats, ticket, this.now());
      if (!reason) continue;
      if (!stillRunning(ticket, (await this.store.read()).get(ticket.id))) continue;
      await removeLeftovers(this.options.storeFolder, this.heartbeats, ticket);
      await this.store.transact((current) => {
        if (!stillRunning(ticket, current.get(ticket.id))) return { events: [], result: undefined };
        return { events: [{ ...interruptedOutcome(ticket, reason), ...this.base(ticket.id) } as StoreEvent], result: undefined };
      });
    }
  }

  private async record(id: string): Promise<TicketRecord> {
    return requireTicket(await this.store.read(), id, this.store.location);
  }

  private detail(ticket: TicketRecord, tickets: TicketProjection): TicketDetail {
    const detail = toDetail(ticket, this.viewer, tickets);
    const driver = this.options.connections().find((connection) => connection.name === ticket.database)?.driver;
    detail.dialect = driverDialects[driver as ConnectionConfig['driver']] ?? 'generic';
    const ended = ticket.execution?.ended;
    if (detail.execution && ended?.type === 'execution_succeeded' && ended.result) detail.execution.resultName = `ticket-${ticket.id}.${ended.result.format}`;
    return detail;
  }

  private base(ticket: string): { ticket: string; at: string; by: string } {
    return { ticket, at: this.now().toISOString(), by: this.actor };
  }
}

/** Whether `current` is still executing the execution `seen` was executing. */
function stillRunning(seen: TicketRecord, current: TicketRecord | undefined): boolean {
  const [before, now] = [seen.execution?.started, current?.execution?.started];
  return current?.state === 'executing' && now?.at === before?.at && now?.pid === before?.pid && now?.host === before?.host;
}

function requireTicket(tickets: TicketProjection, id: string, location: string): TicketRecord {
  const ticket = tickets.get(id);
  if (!ticket) throw new DbTicketsError('not_found', `Ticket #${id} does not exist in the Local store at ${location}: check the id in the ticket list.`);
  return ticket;
}
