import type { TicketDraft } from '../model/ticketDraft';
import type { TicketKind } from '../model/ticketKind';
import type { TicketState, TicketStatus } from '../model/ticketStatus';
import type { SqlDialect } from '../sql/dialect';

/**
 * The contract every ticket service implements (local, dms, huawei, zstack). A backend declares what it can
 * do in `capabilities` and implements exactly that; front ends show only the declared actions.
 */
export interface Backend {
  readonly capabilities: BackendCapabilities;

  /**
   * Creates the ticket for a draft. Idempotent on `draft.id`: a retry after an ambiguous failure (a timeout
   * after the request was sent) returns the ticket the first attempt created instead of creating another.
   */
  submit(draft: TicketDraft, ctx?: OperationContext): Promise<TicketSummary>;

  /** One page of tickets: one call to the service per page, never one per ticket. */
  list(filter: ListFilter, page: PageRequest, ctx?: OperationContext): Promise<Page<TicketSummary>>;

  /** A ticket with everything known about it. */
  get(id: string, ctx?: OperationContext): Promise<TicketDetail>;

  /**
   * The ticket's title and state, from as few requests as the service allows (its status call): what following one
   * ticket needs (`watch`). Optional: without it, `get` serves (`ticketHeadline`).
   */
  status?(id: string, ctx?: OperationContext): Promise<TicketHeadline>;

  /** Runs one of the declared actions and returns the ticket as it is afterwards. */
  act(id: string, request: ActionRequest, ctx?: OperationContext): Promise<TicketDetail>;

  /**
   * A new draft prefilled from a finished ticket (rejected, failed, cancelled, succeeded), with a new id, to fix and
   * submit again. Nothing is recorded until that draft is submitted.
   */
  redraft(id: string, ctx?: OperationContext): Promise<TicketDraft>;

  /** Streams a ticket's result (an export's file) to `target.path`, with progress and cancellation. */
  download(id: string, target: DownloadTarget, ctx?: OperationContext): Promise<DownloadResult>;

  /** Databases the user may target, matching `text`; only when `capabilities.searchDatabases`. */
  searchDatabases(text: string, ctx?: OperationContext): Promise<DatabaseRef[]>;

  /**
   * The service's estimate of the rows a ticket would read or change, to pre-fill the draft. Optional; undefined
   * when the service gives none.
   */
  estimateRows?(ticket: Pick<TicketDraft, 'kind' | 'sql' | 'database'>, ctx?: OperationContext): Promise<number | undefined>;

  /** Users to name as stakeholders or approvers; only when `capabilities.searchUsers`. */
  searchUsers(text: string, ctx?: OperationContext): Promise<UserRef[]>;

  /**
   * Checks that the profile works (credentials, tenant, edition) and describes what it found; offered when a profile
   * is set up and on demand. Optional: a backend without it has nothing to check beyond opening.
   */
  check?(ctx?: OperationContext): Promise<BackendCheck>;

  /**
   * Tells of changes as they happen (the Local team store's notifications): `listener` runs soon after anyone records
   * something. Optional: without it, front ends poll. Resolves with whether changes are pushed (false: poll).
   */
  watchChanges?(listener: () => void): Promise<{ live: boolean; dispose(): void }>;

  /**
   * What could not be trusted in the backend's own storage (the Local backend's event log), read up to date: each
   * line skipped or read differently from how it was written, with where and why. Optional: only backends that keep
   * tickets themselves have it. Front ends warn about these.
   */
  storageProblems?(ctx?: OperationContext, options?: StorageCheck): Promise<StorageProblem[]>;

  /**
   * The values the service offers for a profile field (e.g. its approval flows, or its problem types), for the profile
   * form to pick from; opened on the answers given so far. Optional: only for fields the module marks `offered`.
   */
  profileChoices?(field: string, ctx?: OperationContext): Promise<ProfileChoice[]>;

  /**
   * Operations only some services have. Each is optional, and having it is the capability: front ends offer it
   * where the backend has it and otherwise say that the profile's service has none (`requireOperation`).
   */

  /** Rates how the service handled a finished ticket, 1 (poor) to 5 (excellent), once (Huawei Cloud: score). */
  rate?(id: string, rating: TicketRating, ctx?: OperationContext): Promise<TicketDetail>;

  /** Links between tickets of the same service (Huawei Cloud: related cases). */
  relations?: TicketRelations;

  /** A ticket's files on the service, one at a time: save or delete (Huawei Cloud: a case's attachments). */
  attachments?: TicketAttachments;

  /** Releases connections, timers and file handles. */
  dispose(): Promise<void>;
}

export interface TicketRating {
  /** A whole number 1..5. */
  score: number;
  comment?: string;
}

export interface LinkedTicket {
  id: string;
  title: string;
  submitter?: string;
}

/** A ticket's links to other tickets of the same service; each call returns the links as they are afterwards. */
export interface TicketRelations {
  /** How many links a ticket may have, where the service limits them. */
  readonly max?: number;
  list(id: string, ctx?: OperationContext): Promise<LinkedTicket[]>;
  add(id: string, others: readonly string[], ctx?: OperationContext): Promise<LinkedTicket[]>;
  remove(id: string, other: string, ctx?: OperationContext): Promise<LinkedTicket[]>;
}

/** A ticket's attachments on the service, by the id each has in `TicketDetail.attachments`. */
export interface TicketAttachments {
  /** The ticket's attachments, each with its `id`. */
  list(id: string, ctx?: OperationContext): Promise<TicketAttachment[]>;
  /** Streams one attachment to `target.path` (through a temporary file, renamed when complete). */
  download(id: string, attachmentId: string, target: DownloadTarget, ctx?: OperationContext): Promise<DownloadResult>;
  /** Deletes one attachment, where the service allows it, and returns the ticket's attachments afterwards. */
  remove(id: string, attachmentId: string, ctx?: OperationContext): Promise<TicketAttachment[]>;
}

export const ticketActions = ['approve', 'reject', 'transfer', 'cancel', 'close', 'reopen', 'urge', 'execute', 'comment', 'delete'] as const;
export type TicketAction = (typeof ticketActions)[number];

export type ListScope = 'mine' | 'awaiting_me' | 'related' | 'all';

export interface BackendCapabilities {
  /** Ticket kinds the backend accepts. */
  kinds: readonly TicketKind[];
  /** Actions the backend supports at all; each ticket says which apply to it now (`TicketSummary.actions`). */
  actions: readonly TicketAction[];
  /** Statement kinds a ticket kind accepts beyond the core rule, e.g. DDL in a data-change ticket. */
  kindAllowances?: Partial<Record<TicketKind, readonly string[]>>;
  /**
   * What filing a ticket of a kind does on this service where users could expect otherwise (e.g. that approving it
   * will not run the SQL), told before the ticket is submitted.
   */
  kindNotes?: Partial<Record<TicketKind, string>>;
  listScopes: readonly ListScope[];
  searchDatabases: boolean;
  searchUsers: boolean;
  download: boolean;
  attachments: boolean;
  /** Without attachments: the profile field that would allow them, for the message that refuses a draft's files. */
  attachmentsSetting?: string;
  /** Whether tickets have a page in the service's web console (`TicketSummary.webUrl`). */
  webConsole: boolean;
}

/** A value the service offers for a profile field, with what the user recognises it by. */
export interface ProfileChoice {
  value: string;
  label: string;
  description?: string;
}

export interface StorageProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** `file:line: what is wrong, and what to do`. */
  message: string;
}

export interface BackendCheck {
  /** What was found, e.g. { label: 'Tenant', value: 'acme (tid 12345)' }. */
  facts: Array<{ label: string; value: string }>;
  /** What will not work and what to do about it, e.g. a control mode that cannot run data exports. */
  warnings: string[];
}

export interface OperationContext {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  message?: string;
  /** Units done so far: rows for an export, bytes for a download. */
  done?: number;
  total?: number;
}

export interface StorageCheck {
  /** Read the whole storage again rather than trust what was derived from it (a snapshot): a full check. */
  wholeLog?: boolean;
}

export interface ListFilter {
  scope?: ListScope;
  /** Only tickets in these normalized states. */
  states?: readonly TicketState[];
  /** Free text matched by the service (title, SQL, id) where it can. */
  text?: string;
}

export interface PageRequest {
  /** Opaque cursor from the previous page; absent for the first page. */
  cursor?: string;
  size: number;
}

export interface Page<T> {
  items: T[];
  /** Present when there are more items. */
  nextCursor?: string;
  total?: number;
}

export interface UserRef {
  id: string;
  name: string;
}

export interface DatabaseRef {
  id: string;
  /** What the user recognises, e.g. "shop@pg-prod" or "demo". */
  name: string;
  engine?: string;
  environment?: string;
}

export interface TicketSummary {
  id: string;
  title: string;
  /** Null when the service's native type is not one of ours. */
  kind: TicketKind | null;
  status: TicketStatus;
  database?: string;
  submitter?: UserRef;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
  /** The current user is expected to act (approve, execute, answer). */
  needsYou: boolean;
  /** Actions that apply to this ticket now, for this user. */
  actions: TicketAction[];
  webUrl?: string;
  /** The SQL's first lines (`sqlExcerpt()`), where the service lists them. */
  sqlExcerpt?: string;
  /** Who approved or rejected the ticket, where the service lists it. */
  approver?: UserRef;
  /** Replies from the service's people the user has not read yet, where the service counts them. */
  unreadReplies?: number;
}

/** A ticket as following its state sees it. */
export type TicketHeadline = Pick<TicketSummary, 'id' | 'title' | 'status' | 'updatedAt'>;

export interface TicketDetail extends TicketSummary {
  sql: string;
  /** The service's own type of the ticket and what it does once approved, where that is not plain from the kind. */
  filedAs?: string;
  /** The SQL dialect of the target database, where the backend knows it (to highlight the SQL as it will run). */
  dialect?: SqlDialect;
  reason?: string;
  stakeholders: UserRef[];
  estimatedRows?: number;
  precheck?: PrecheckResult;
  approvals: ApprovalStep[];
  comments: TicketComment[];
  attachments: TicketAttachment[];
  execution?: ExecutionSummary;
  /** The audit trail: who did what, when, oldest first. */
  history: TicketEvent[];
}

export interface PrecheckResult {
  passed: boolean;
  items: Array<{ check: string; status: 'passed' | 'warning' | 'failed'; message: string }>;
}

export interface ApprovalStep {
  name: string;
  state: 'waiting' | 'current' | 'approved' | 'rejected' | 'skipped';
  approvers: UserRef[];
  actedBy?: UserRef;
  at?: string;
  comment?: string;
}

export interface TicketComment {
  author: UserRef;
  at: string;
  text: string;
}

export interface TicketAttachment {
  name: string;
  size?: number;
  /** The service's id for it, where attachments can be fetched one by one (`Backend.attachments`). */
  id?: string;
}

export interface ExecutionSummary {
  startedAt?: string;
  finishedAt?: string;
  /** Rows exported, or rows affected by a change. */
  rows?: number;
  message?: string;
  /** `rolled_back`: the statement ran, then its transaction was rolled back because a later one failed. */
  statements?: Array<{ index: number; status: 'succeeded' | 'failed' | 'skipped' | 'rolled_back'; rows?: number; message?: string }>;
  /** A downloadable result exists. */
  hasResult: boolean;
  /** The file name to save the result under, e.g. "ticket-12.csv". */
  resultName?: string;
}

export interface TicketEvent {
  at: string;
  actor: UserRef;
  /** What happened, e.g. "submitted", "approved (self-approval)", "execution failed at statement 3". */
  action: string;
  comment?: string;
}

export type ActionRequest =
  | { action: 'approve' | 'reject' | 'cancel' | 'close' | 'reopen' | 'urge' | 'execute'; comment?: string }
  /** Removes the ticket from the service; `act` answers with the ticket as it was just before. */
  | { action: 'delete'; comment?: undefined }
  | { action: 'transfer'; to: UserRef; comment?: string }
  | { action: 'comment'; comment: string };

export interface DownloadTarget {
  path: string;
}

export interface DownloadResult {
  path: string;
  bytes: number;
}
