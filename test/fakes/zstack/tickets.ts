import { javaDate } from './dates';
import { argumentError, ApiFailure, errorCode, type ErrorCode, operationError } from './errors';
import type { Flow, Flows } from './flows';
import type { Directory, Identity } from './identities';
import { newUuid } from './identities';

/** ZStack's own pattern for a resource uuid. */
const zstackUuid = /^[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}$/;
import type { Table } from './query';

/** Tickets, their status history and the approval state machine of IAM2 tickets. */

export const TICKET_STATUSES = ['Pending', 'Cancelled', 'IntermediateApproved', 'FinalApproved', 'Rejected'] as const;
export const STATUS_EVENTS = ['open', 'approve', 'cancel', 'reject', 'reopen'] as const;
export type StatusEvent = (typeof STATUS_EVENTS)[number];

export interface TicketRequest {
  requestName?: string;
  apiName: string;
  executeTimes: number;
  apiBody: Record<string, unknown>;
}

export interface Ticket {
  uuid: string;
  name: string;
  description: string | null;
  /** A TicketStatus, or anything a test sets with setNativeStatus. */
  status: string;
  requests: TicketRequest[];
  accountSystemType: string;
  accountSystemContext: { projectUuid: string; virtualIDUuid: string };
  ticketTypeUuid: string;
  flowCollectionUuid: string;
  currentFlowUuid: string | null;
  /** The submitting virtual ID. */
  ownerUuid: string;
  systemTags: string[];
  userTags: string[];
  createdAt: number;
  lastOpAt: number;
}

export interface RequestResult {
  requestName: string;
  successTimes: number;
  failureTimes: number;
  errors: ErrorCode[];
}

export interface HistoryEntry {
  uuid: string;
  sequence: number;
  ticketUuid: string;
  fromStatus: string | null;
  toStatus: string;
  comment: string | null;
  operationContextType: string;
  operationContext: { requestResults: RequestResult[] } | null;
  operatorType: string;
  operatorUuid: string;
  flowName: string | null;
  createdAt: number;
}

export interface CreateInput {
  name: string;
  description?: string;
  requests: Array<Record<string, unknown>>;
  flowCollectionUuid?: string;
  accountSystemType: string;
  accountSystemContext: unknown;
  resourceUuid?: string;
  systemTags?: string[];
  userTags?: string[];
}

const notFound = (uuid: string, type: string) => new ApiFailure(errorCode('SYS.1003', `invalid field[uuid], resource[uuid:${uuid}, type:${type}] not found`));

export class TicketBook {
  readonly tickets: Ticket[] = [];
  readonly history: HistoryEntry[] = [];
  /** API message classes the service has; others are refused in requests. */
  readonly knownApis = new Set<string>();
  /** API classes whose execution fails on final approval, with the failure's details. */
  readonly failingApis = new Map<string, string>();
  private sequence = 0;

  constructor(
    private readonly directory: Directory,
    private readonly flows: Flows,
    private readonly now: () => number,
  ) {}

  ticket(uuid: string): Ticket | undefined {
    return this.tickets.find((t) => t.uuid === uuid);
  }

  create(operator: Identity, input: CreateInput): Ticket {
    // ZStack's API mediator checks every create message's resourceUuid first (a UUID's shape, dashes stripped).
    if (input.resourceUuid !== undefined && !zstackUuid.test(input.resourceUuid)) {
      throw argumentError(
        `resourceUuid[${input.resourceUuid}] is not a valid uuid. A valid uuid is a UUID(v4 recommended) with '-' stripped. see http://en.wikipedia.org/wiki/Universally_unique_identifier for format of UUID, the regular expression uses to validate a UUID is '[0-9a-f]{8}[0-9a-f]{4}[1-5][0-9a-f]{3}[89ab][0-9a-f]{3}[0-9a-f]{12}'`,
      );
    }
    if (input.accountSystemType !== 'iam2') throw argumentError(`no accountSystemType[${input.accountSystemType}] defined in system`);
    const context = input.accountSystemContext as Record<string, unknown> | null;
    const projectUuid = typeof context?.projectUuid === 'string' ? context.projectUuid : undefined;
    const virtualIDUuid = typeof context?.virtualIDUuid === 'string' ? context.virtualIDUuid : undefined;
    if (!projectUuid || !virtualIDUuid || typeof context !== 'object' || Array.isArray(context)) {
      throw argumentError('invalid accountSystemContext, projectUuid and virtualIDUuid are required for accountSystemType[iam2]');
    }
    const project = this.directory.projects.find((p) => p.uuid === projectUuid);
    if (!project) throw notFound(projectUuid, 'IAM2ProjectVO');
    const vid = this.directory.virtualId(virtualIDUuid);
    if (!vid) throw notFound(virtualIDUuid, 'IAM2VirtualIDVO');
    if (!vid.projectUuids.includes(project.uuid)) throw argumentError(`virtual id[uuid:${vid.uuid}] not belong to project[uuid:${project.uuid}]`);
    if (operator.uuid !== vid.uuid && !operator.admin) throw operationError(`operation denied. the operator needs to be done by account/virtual ID[uuid:${vid.uuid}]`);

    const requests = this.checkRequests(input.requests);
    const type = this.flows.typeFor(requests.map((r) => r.apiName));
    if (!type) throw argumentError('not matched ticket type found');
    const collection = this.chooseCollection(input.flowCollectionUuid, project.uuid, type.uuid);
    if (input.resourceUuid && this.ticket(input.resourceUuid)) throw argumentError(`resource uuid[${input.resourceUuid}] has been used`);

    const now = this.now();
    const ticket: Ticket = {
      uuid: input.resourceUuid || newUuid(),
      name: input.name,
      description: input.description ?? null,
      status: 'Pending',
      requests,
      accountSystemType: 'iam2',
      accountSystemContext: { projectUuid: project.uuid, virtualIDUuid: vid.uuid },
      ticketTypeUuid: type.uuid,
      flowCollectionUuid: collection.uuid,
      currentFlowUuid: collection.flows[0].uuid,
      ownerUuid: vid.uuid,
      systemTags: input.systemTags ?? [],
      userTags: input.userTags ?? [],
      createdAt: now,
      lastOpAt: now,
    };
    this.tickets.push(ticket);
    this.record(ticket, null, operator, null, null, null);
    return ticket;
  }

  private checkRequests(raw: Array<Record<string, unknown>>): TicketRequest[] {
    return raw.map((r) => {
      const apiName = r.apiName as string | undefined;
      if (!apiName || !this.knownApis.has(apiName)) throw argumentError(`invalid request. no API[${apiName ?? null}] found`);
      const apiBody = r.apiBody ?? {};
      if (typeof apiBody !== 'object' || Array.isArray(apiBody)) throw argumentError(`invalid request, cannot create API[${apiName}] from apiBody, apiBody must be a JSON object`);
      const executeTimes = r.executeTimes === undefined ? 1 : (r.executeTimes as number);
      if (executeTimes < 1) throw argumentError(`invalid request, executeTimes of API[${apiName}] must be positive, but was ${executeTimes}`);
      return { ...(r.requestName !== undefined ? { requestName: r.requestName as string } : {}), apiName, executeTimes, apiBody: apiBody as Record<string, unknown> };
    });
  }

  private chooseCollection(uuid: string | undefined, projectUuid: string, typeUuid: string) {
    if (uuid) {
      const chosen = this.flows.collection(uuid);
      if (!chosen) throw notFound(uuid, 'TicketFlowCollectionVO');
      if (chosen.state === 'Disabled') throw argumentError(`Ticket flow collection[uuid:${uuid}] is disable, can not be used`);
      if (chosen.status === 'Invalid') throw argumentError(`Ticket flow collection[uuid:${uuid}] is invalid, contact admin to correct it`);
      if (chosen.projectUuid !== projectUuid) throw operationError(`operation denied because flow collection[uuid:${uuid}] it not belong the project[uuid:${projectUuid}]`);
      if (!chosen.ticketTypeUuids.includes(typeUuid)) throw argumentError(`Ticket flow collection[uuid:${uuid}] not matches ticket type[uuid:${typeUuid}]`);
      return chosen;
    }
    const usable = this.flows.collections.filter((c) => c.projectUuid === projectUuid && c.state === 'Enabled' && c.status === 'Valid');
    const chosen = usable.find((c) => c.ticketTypeUuids.includes(typeUuid)) ?? usable.find((c) => c.isDefault);
    if (!chosen) {
      throw argumentError('no matched ticket flow collection or no default ticket flow collection found, you must specify the flowCollectionUuid or create a default ticket flow collection in system');
    }
    return chosen;
  }

  changeStatus(operator: Identity, uuid: string, event: StatusEvent, comment: string | undefined): Ticket {
    const ticket = this.ticket(uuid);
    if (!ticket) throw notFound(uuid, 'TicketVO');
    const from = ticket.status;
    const open = from === 'Pending' || from === 'IntermediateApproved';
    const closed = from === 'Cancelled' || from === 'Rejected';
    const allowed = event === 'approve' || event === 'reject' || event === 'cancel' ? open : closed;
    if (!allowed) throw operationError(`operation denied. the ticket is in status of ${from}, cannot do the operation[${event}]`);
    const collection = this.flows.collection(ticket.flowCollectionUuid)!;
    if (event === 'approve' || event === 'reject') {
      const flow = this.flows.flow(ticket.currentFlowUuid);
      if (!flow) throw operationError(`operation denied. the ticket[uuid:${ticket.uuid}] is not waiting on any approval flow`);
      if (operator.uuid !== flow.approverUuid) throw operationError(`operation denied. the operator needs to be done by account/virtual ID[uuid:${flow.approverUuid}]`);
      const index = collection.flows.indexOf(flow);
      const last = index === collection.flows.length - 1;
      let results: RequestResult[] | null = null;
      if (event === 'reject') this.move(ticket, 'Rejected', null);
      else if (!last) this.move(ticket, 'IntermediateApproved', collection.flows[index + 1].uuid);
      else {
        this.move(ticket, 'FinalApproved', null);
        results = ticket.requests.map((r) => this.execute(r));
      }
      this.record(ticket, from, operator, comment ?? null, flow, results);
      return ticket;
    }
    this.requireOwner(operator, ticket);
    if (event === 'cancel') this.move(ticket, 'Cancelled', null);
    else this.move(ticket, 'Pending', collection.flows[0].uuid);
    this.record(ticket, from, operator, comment ?? null, null, null);
    return ticket;
  }

  updateRequests(operator: Identity, uuid: string, requests: Array<Record<string, unknown>>, description: string | undefined): Ticket {
    const ticket = this.ticket(uuid);
    if (!ticket) throw notFound(uuid, 'TicketVO');
    this.requireOwner(operator, ticket);
    if (ticket.status !== 'Cancelled') throw operationError(`ticket[uuid:${ticket.uuid}, name:${ticket.name}] can only be updated after being cancelled, current status is ${ticket.status}`);
    const checked = this.checkRequests(requests);
    const type = this.flows.typeFor(checked.map((r) => r.apiName));
    if (!type) throw argumentError('not matched ticket type found');
    const collection = this.flows.collection(ticket.flowCollectionUuid)!;
    if (!collection.ticketTypeUuids.includes(type.uuid)) throw argumentError(`Ticket flow collection[uuid:${collection.uuid}] not matches ticket type[uuid:${type.uuid}]`);
    ticket.requests = checked;
    ticket.ticketTypeUuid = type.uuid;
    if (description !== undefined) ticket.description = description;
    ticket.lastOpAt = this.now();
    return ticket;
  }

  /** Deleting a ticket that does not exist succeeds, as the service's delete APIs do. */
  delete(operator: Identity, uuid: string): void {
    const ticket = this.ticket(uuid);
    if (!ticket) return;
    if (!operator.admin) this.requireOwner(operator, ticket);
    this.tickets.splice(this.tickets.indexOf(ticket), 1);
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i].ticketUuid === uuid) this.history.splice(i, 1);
  }

  /** What an identity may see: an admin everything, an account its projects' tickets, a virtual ID its own and those it approves. */
  visibleTo(identity: Identity): Ticket[] {
    if (identity.admin) return [...this.tickets];
    if (identity.kind !== 'virtualId') {
      const projects = new Set(this.directory.projects.filter((p) => p.linkedAccountUuid === identity.accountUuid).map((p) => p.uuid));
      return this.tickets.filter((t) => projects.has(t.accountSystemContext.projectUuid));
    }
    return this.tickets.filter((t) => t.ownerUuid === identity.uuid || this.flows.collection(t.flowCollectionUuid)?.flows.some((f) => f.approverUuid === identity.uuid));
  }

  private requireOwner(operator: Identity, ticket: Ticket): void {
    if (operator.uuid !== ticket.ownerUuid) throw operationError(`the virtual ID[uuid:${operator.uuid}] is not the owner of the ticket[uuid:${ticket.uuid}, name:${ticket.name}]`);
  }

  private move(ticket: Ticket, status: string, currentFlowUuid: string | null): void {
    ticket.status = status;
    ticket.currentFlowUuid = currentFlowUuid;
    ticket.lastOpAt = this.now();
  }

  /** Runs a request executeTimes times; an API the fake is told to fail fails every time. */
  private execute(request: TicketRequest): RequestResult {
    const failure = this.failingApis.get(request.apiName);
    const errors = failure === undefined ? [] : Array.from({ length: request.executeTimes }, () => errorCode('SYS.1006', failure));
    // As in the service's sample, the result's requestName carries the API class name.
    return { requestName: request.apiName, successTimes: request.executeTimes - errors.length, failureTimes: errors.length, errors };
  }

  private record(ticket: Ticket, from: string | null, operator: Identity, comment: string | null, flow: Flow | null, results: RequestResult[] | null): void {
    this.history.push({
      uuid: newUuid(),
      sequence: ++this.sequence,
      ticketUuid: ticket.uuid,
      fromStatus: from,
      toStatus: ticket.status,
      comment,
      operationContextType: 'StatusChanged',
      operationContext: results ? { requestResults: results } : null,
      operatorType: operator.type,
      operatorUuid: operator.uuid,
      flowName: flow?.name ?? null,
      createdAt: this.now(),
    });
  }
}

const stamp = (ms: number) => javaDate(ms);

export function ticketInventory(t: Ticket) {
  return {
    uuid: t.uuid,
    name: t.name,
    description: t.description,
    status: t.status,
    request: t.requests.map((r) => ({ ...r })),
    accountSystemType: t.accountSystemType,
    accountSystemContext: { ...t.accountSystemContext },
    ticketTypeUuid: t.ticketTypeUuid,
    flowCollectionUuid: t.flowCollectionUuid,
    currentFlowUuid: t.currentFlowUuid,
    createDate: stamp(t.createdAt),
    lastOpDate: stamp(t.lastOpAt),
  };
}

export function ticketTable(): Table<Ticket> {
  return {
    inventoryClass: 'org.zstack.ticket.entity.TicketInventory',
    columns: {
      uuid: 'string',
      name: 'string',
      description: 'string',
      status: TICKET_STATUSES,
      request: 'json',
      accountSystemType: 'string',
      accountSystemContext: 'json',
      ticketTypeUuid: 'string',
      flowCollectionUuid: 'string',
      currentFlowUuid: 'string',
      createDate: 'timestamp',
      lastOpDate: 'timestamp',
    },
    value: (t, column) => (column === 'request' ? t.requests : column === 'createDate' ? t.createdAt : column === 'lastOpDate' ? t.lastOpAt : (t as unknown as Record<string, unknown>)[column]),
    inventory: ticketInventory,
  };
}

export function historyTable(): Table<HistoryEntry> {
  return {
    inventoryClass: 'org.zstack.ticket.entity.TicketStatusHistoryInventory',
    columns: {
      uuid: 'string',
      sequence: 'int',
      ticketUuid: 'string',
      fromStatus: TICKET_STATUSES,
      toStatus: TICKET_STATUSES,
      comment: 'string',
      operationContextType: 'string',
      operationContext: 'json',
      operatorType: 'string',
      operatorUuid: 'string',
      flowName: 'string',
      createDate: 'timestamp',
      lastOpDate: 'timestamp',
    },
    value: (h, column) => (column === 'createDate' || column === 'lastOpDate' ? h.createdAt : (h as unknown as Record<string, unknown>)[column]),
    inventory: (h) => {
      const { createdAt, ...rest } = h;
      return { ...rest, createDate: stamp(createdAt), lastOpDate: stamp(createdAt) };
    },
  };
}
