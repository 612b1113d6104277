import { javaDate } from './dates';
import { argumentError, ApiFailure, errorCode } from './errors';
import type { FakeZStack } from './fakeZStack';
import { flowCollectionTable, flowTable, ticketTypeTable } from './flows';
import type { Project, VirtualId } from './identities';
import { type QuerySpec, runQuery, type Table } from './query';
import type { ApiDef } from './routes';
import type { Session } from './sessions';
import { historyTable, type StatusEvent, ticketInventory, ticketTable } from './tickets';

/** What each API does once the request has passed transport, binding, session and @Param checks. */

export interface Call {
  api: ApiDef;
  params: Record<string, unknown>;
  tags: { systemTags?: string[]; userTags?: string[] };
  vars: Record<string, string>;
  session?: Session;
  query?: QuerySpec;
}

const authFailure = (details: string) => new ApiFailure(errorCode('ID.1000', details));

export function answerApi(fake: FakeZStack, call: Call): Record<string, unknown> {
  const { params, session } = call;
  const str = (name: string) => params[name] as string | undefined;
  switch (call.api.operation) {
    case 'LogInByAccount': {
      const identity = fake.directory.checkAccount(str('accountName')!, str('password')!);
      if (!identity) throw authFailure('wrong account name or password');
      return { inventory: fake.sessions.inventory(fake.sessions.create(identity)) };
    }
    case 'LogInByUser': {
      if (!str('accountName') && !str('accountUuid')) throw argumentError('accountName or accountUuid must be specified');
      const account = str('accountUuid') ? fake.directory.accounts.find((a) => a.uuid === str('accountUuid')) : fake.directory.accounts.find((a) => a.name === str('accountName'));
      const identity = fake.directory.checkUser(account, str('userName')!, str('password')!);
      if (!identity) throw authFailure('wrong account or username or password');
      return { inventory: fake.sessions.inventory(fake.sessions.create(identity)) };
    }
    case 'LoginIAM2VirtualID': {
      const identity = fake.directory.checkVirtualId(str('name')!, str('password')!);
      if (!identity) throw authFailure('wrong virtual ID name or password');
      return { inventory: fake.sessions.inventory(fake.sessions.create(identity)) };
    }
    case 'LoginIAM2Project': {
      const identity = session!.identity;
      if (identity.kind !== 'virtualId') throw new ApiFailure(errorCode('ID.1002', 'only an IAM2 virtual ID can log in to a project'));
      const project = fake.directory.projects.find((p) => p.name === str('projectName'));
      if (!project) throw argumentError(`project[name:${str('projectName')}] not found`);
      if (!fake.directory.virtualId(identity.uuid)!.projectUuids.includes(project.uuid)) throw argumentError(`virtual id[uuid:${identity.uuid}] not belong to project[uuid:${project.uuid}]`);
      return { inventory: fake.sessions.inventory(fake.sessions.create(identity, project)) };
    }
    case 'ValidateSession':
      return { valid: fake.sessions.valid(str('sessionUuid')!) };
    case 'RenewSession': {
      const duration = (params.duration as number | undefined) ?? 7200;
      if (duration < 60 || duration > 31_536_000) throw argumentError(`the value[${duration}] of field[duration] of message[${call.api.apiClass}] is out of range[60, 31536000]`);
      return { inventory: fake.sessions.inventory(fake.sessions.renew(str('sessionUuid')!, duration)) };
    }
    case 'LogOut':
      fake.sessions.logOut(str('sessionUuid')!);
      return {};
    case 'QueryIAM2Project':
      return query(call, fake.directory.projects, projectTable());
    case 'QueryIAM2VirtualID':
      return query(call, fake.directory.virtualIds, virtualIdTable());
    case 'QueryTicketType':
      return query(call, fake.flows.types, ticketTypeTable());
    case 'QueryTicketFlowCollection':
      return query(call, fake.flows.collections, flowCollectionTable());
    case 'QueryTicketFlow':
      return query(call, fake.flows.collections.flatMap((c) => c.flows), flowTable());
    case 'QueryTicket': {
      // A new ticket reaches the lists only after the lag; a query naming its uuid sees it at once.
      const byUuid = call.query!.conditions.some((c) => c.name === 'uuid' && (c.op === '=' || c.op === '?='));
      const now = fake.clock();
      const rows = fake.book.visibleTo(session!.identity).filter((t) => byUuid || now - t.createdAt >= fake.listLagMs);
      return query(call, rows, ticketTable());
    }
    case 'QueryTicketHistory': {
      const visible = new Set(fake.book.visibleTo(session!.identity).map((t) => t.uuid));
      return query(call, fake.book.history.filter((h) => visible.has(h.ticketUuid)), historyTable());
    }
    case 'CreateTicket': {
      const ticket = fake.book.create(session!.identity, {
        name: str('name')!,
        description: str('description'),
        requests: params.requests as Array<Record<string, unknown>>,
        flowCollectionUuid: str('flowCollectionUuid'),
        accountSystemType: str('accountSystemType')!,
        accountSystemContext: params.accountSystemContext,
        resourceUuid: str('resourceUuid'),
        ...call.tags,
      });
      return { inventory: ticketInventory(ticket) };
    }
    case 'ChangeTicketStatus':
      return { inventory: ticketInventory(fake.book.changeStatus(session!.identity, str('uuid')!, str('statusEvent') as StatusEvent, str('comment'))) };
    case 'UpdateTicketRequest':
      return { inventory: ticketInventory(fake.book.updateRequests(session!.identity, str('uuid')!, params.requests as Array<Record<string, unknown>>, str('description'))) };
    case 'DeleteTicket':
      fake.book.delete(session!.identity, str('uuid')!);
      return {};
    default:
      throw new ApiFailure(errorCode('SYS.1008', `unknown message ${call.api.apiClass}`));
  }
}

/** A query reply; the REST server always adds the JSON schema (class names by path) to query replies. */
function query<T>(call: Call, rows: T[], table: Table<T>): Record<string, unknown> {
  const answer = runQuery(rows, call.query!, table);
  const schema = Object.fromEntries((answer.inventories ?? []).map((_, i) => [`inventories[${i}]`, table.inventoryClass]));
  return { ...answer, schema };
}

function projectTable(): Table<Project> {
  return {
    inventoryClass: 'org.zstack.iam2.entity.IAM2ProjectInventory',
    columns: { uuid: 'string', name: 'string', description: 'string', state: ['Enabled', 'Disabled'], linkedAccountUuid: 'string', createDate: 'timestamp', lastOpDate: 'timestamp' },
    value: (p, column) => (column === 'createDate' || column === 'lastOpDate' ? p.createdAt : (p as unknown as Record<string, unknown>)[column]),
    inventory: (p) => ({ uuid: p.uuid, name: p.name, description: p.description, state: p.state, linkedAccountUuid: p.linkedAccountUuid, createDate: javaDate(p.createdAt), lastOpDate: javaDate(p.createdAt) }),
  };
}

function virtualIdTable(): Table<VirtualId> {
  return {
    inventoryClass: 'org.zstack.iam2.entity.IAM2VirtualIDInventory',
    columns: { uuid: 'string', name: 'string', description: 'string', state: ['Enabled', 'Disabled'], type: 'string', createDate: 'timestamp', lastOpDate: 'timestamp' },
    value: (v, column) => (column === 'type' ? 'ZStack' : column === 'description' ? '' : column === 'createDate' || column === 'lastOpDate' ? v.createdAt : (v as unknown as Record<string, unknown>)[column]),
    inventory: (v) => ({ uuid: v.uuid, name: v.name, description: '', state: v.state, type: 'ZStack', createDate: javaDate(v.createdAt), lastOpDate: javaDate(v.createdAt) }),
  };
}
