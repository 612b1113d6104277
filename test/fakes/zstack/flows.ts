import { javaDate } from './dates';
import type { Directory } from './identities';
import { newUuid } from './identities';
import type { Table } from './query';

/** Ticket types (which API messages a ticket may carry) and IAM2 flow collections (who approves, in what order). */

export interface TicketType {
  uuid: string;
  name: string;
  description: string;
  type: string;
  /** The API message classes a ticket of this type may request. */
  apiNames: string[];
  adminOnly: boolean;
  createdAt: number;
}

export interface Flow {
  uuid: string;
  name: string;
  description: string;
  approverUuid: string;
  approverTitle?: string;
  collectionUuid: string;
  parentFlowUuid: string | null;
  createdAt: number;
}

export interface FlowCollection {
  uuid: string;
  name: string;
  description: string;
  projectUuid: string;
  state: 'Enabled' | 'Disabled';
  status: 'Valid' | 'Invalid';
  isDefault: boolean;
  /** In approval order; each flow's parent is the one before it. */
  flows: Flow[];
  ticketTypeUuids: string[];
  createdAt: number;
}

export interface FlowCollectionInput {
  name: string;
  /** The project, by name or uuid. */
  project: string;
  /** Approvers in approval order: virtual IDs or accounts, by name or uuid. */
  approvers: Array<string | { approver: string; name?: string; title?: string }>;
  /** Ticket types by name or uuid (all known types when absent). */
  ticketTypes?: string[];
  isDefault?: boolean;
  uuid?: string;
  description?: string;
}

export class Flows {
  readonly types: TicketType[] = [];
  readonly collections: FlowCollection[] = [];

  constructor(
    private readonly directory: Directory,
    private readonly now: () => number,
  ) {}

  addTicketType(input: { name: string; apiNames: string[]; uuid?: string; description?: string; adminOnly?: boolean; type?: string }): TicketType {
    const type: TicketType = {
      uuid: input.uuid ?? newUuid(),
      name: input.name,
      description: input.description ?? '',
      type: input.type ?? 'Default',
      apiNames: [...input.apiNames],
      adminOnly: input.adminOnly ?? false,
      createdAt: this.now(),
    };
    this.types.push(type);
    return type;
  }

  addFlowCollection(input: FlowCollectionInput): FlowCollection {
    const project = this.directory.projectByNameOrUuid(input.project);
    if (!project) throw new Error(`no project ${input.project}`);
    if (input.approvers.length === 0) throw new Error('at least one flow is needed');
    const uuid = input.uuid ?? newUuid();
    const flows: Flow[] = [];
    input.approvers.forEach((entry, i) => {
      const spec = typeof entry === 'string' ? { approver: entry } : entry;
      const approverUuid = this.approverUuid(spec.approver);
      flows.push({ uuid: newUuid(), name: spec.name ?? `step-${i + 1}`, description: '', approverUuid, approverTitle: spec.title, collectionUuid: uuid, parentFlowUuid: flows[i - 1]?.uuid ?? null, createdAt: this.now() });
    });
    const typeUuids = (input.ticketTypes ?? this.types.map((t) => t.uuid)).map((key) => {
      const type = this.types.find((t) => t.uuid === key || t.name === key);
      if (!type) throw new Error(`no ticket type ${key}`);
      return type.uuid;
    });
    const collection: FlowCollection = {
      uuid,
      name: input.name,
      description: input.description ?? '',
      projectUuid: project.uuid,
      state: 'Enabled',
      status: 'Valid',
      isDefault: input.isDefault ?? false,
      flows,
      ticketTypeUuids: typeUuids,
      createdAt: this.now(),
    };
    this.collections.push(collection);
    return collection;
  }

  private approverUuid(key: string): string {
    const vid = this.directory.virtualIds.find((v) => v.uuid === key || v.name === key);
    const account = this.directory.accountByNameOrUuid(key);
    const uuid = vid?.uuid ?? account?.uuid;
    if (!uuid) throw new Error(`no approver ${key}`);
    return uuid;
  }

  collection(uuid: string): FlowCollection | undefined {
    return this.collections.find((c) => c.uuid === uuid);
  }

  flow(uuid: string | null): Flow | undefined {
    return uuid === null ? undefined : this.collections.flatMap((c) => c.flows).find((f) => f.uuid === uuid);
  }

  /** The ticket type whose API list covers every requested API. */
  typeFor(apiNames: string[]): TicketType | undefined {
    return this.types.find((t) => apiNames.every((name) => t.apiNames.includes(name)));
  }

  knowsApi(apiName: string): boolean {
    return this.types.some((t) => t.apiNames.includes(apiName));
  }
}

const stamp = (ms: number) => javaDate(ms);

export function ticketTypeTable(): Table<TicketType> {
  return {
    inventoryClass: 'org.zstack.ticket.entity.TicketTypeInventory',
    columns: { uuid: 'string', name: 'string', description: 'string', type: 'string', requests: 'string', adminOnly: 'bool', createDate: 'timestamp', lastOpDate: 'timestamp' },
    value: (t, column) => (column === 'requests' ? t.apiNames.join(',') : column === 'createDate' || column === 'lastOpDate' ? t.createdAt : (t as unknown as Record<string, unknown>)[column]),
    inventory: (t) => ({ uuid: t.uuid, name: t.name, description: t.description, type: t.type, requests: t.apiNames.join(','), adminOnly: t.adminOnly, createDate: stamp(t.createdAt), lastOpDate: stamp(t.createdAt) }),
  };
}

export function flowInventory(f: Flow) {
  return {
    uuid: f.uuid,
    name: f.name,
    description: f.description,
    parentFlowUuid: f.parentFlowUuid,
    collectionUuid: f.collectionUuid,
    approverUuid: f.approverUuid,
    ...(f.approverTitle ? { approverTitle: f.approverTitle } : {}),
    flowContextType: JSON.stringify({ approverUuid: f.approverUuid }),
    valid: true,
    createDate: stamp(f.createdAt),
    lastOpDate: stamp(f.createdAt),
  };
}

export function flowTable(): Table<Flow> {
  return {
    inventoryClass: 'org.zstack.ticket.iam2.entity.IAM2TicketFlowInventory',
    columns: { uuid: 'string', name: 'string', description: 'string', parentFlowUuid: 'string', collectionUuid: 'string', approverUuid: 'string', createDate: 'timestamp', lastOpDate: 'timestamp' },
    value: (f, column) => (column === 'createDate' || column === 'lastOpDate' ? f.createdAt : (f as unknown as Record<string, unknown>)[column]),
    inventory: flowInventory,
  };
}

export function flowCollectionTable(): Table<FlowCollection> {
  return {
    inventoryClass: 'org.zstack.ticket.iam2.entity.IAM2TicketFlowCollectionInventory',
    columns: { uuid: 'string', name: 'string', description: 'string', projectUuid: 'string', state: ['Enabled', 'Disabled'], status: ['Valid', 'Invalid'], isDefault: 'bool', createDate: 'timestamp', lastOpDate: 'timestamp' },
    value: (c, column) => (column === 'createDate' || column === 'lastOpDate' ? c.createdAt : (c as unknown as Record<string, unknown>)[column]),
    inventory: (c) => ({
      uuid: c.uuid,
      name: c.name,
      description: c.description,
      projectUuid: c.projectUuid,
      state: c.state,
      status: c.status,
      isDefault: c.isDefault,
      flows: c.flows.map(flowInventory),
      ticketTypeUuids: [...c.ticketTypeUuids],
      createDate: stamp(c.createdAt),
      lastOpDate: stamp(c.createdAt),
    }),
  };
}
