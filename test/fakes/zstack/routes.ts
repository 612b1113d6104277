import { PlainFailure } from './errors';
import type { Operation } from './faults';
import type { ApiParams } from './params';
import { STATUS_EVENTS } from './tickets';

/**
 * The REST mapping of the APIs the fake serves: method, path under /v1, body wrapper key and parameters, as the
 * SDK's RestInfo and @Param annotations give them. Paths match exactly first, then by pattern; a PUT on a path
 * shared by several actions picks the one whose wrapper key is in the body.
 */

export type Mode = 'query' | 'sync' | 'async';

export interface ApiDef {
  operation: Operation;
  apiClass: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /zstack/v1, e.g. /tickets/{uuid}/actions. */
  path: string;
  mode: Mode;
  /** False for @SuppressCredentialCheck APIs (logins, ValidateSession, LogOut). */
  auth: boolean;
  /** The body's wrapper key (`params` for creations, the action name for PUT). */
  wrapper?: string;
  params: ApiParams;
}

const requestItem: ApiParams = { requestName: { type: 'string' }, apiName: { type: 'string' }, executeTimes: { type: 'int' }, apiBody: { type: 'map' } };
const clientInfo = { clientInfo: { type: 'map' } } as const;

const query = (operation: Operation, path: string, apiClass: string): ApiDef[] => [
  { operation, apiClass, method: 'GET', path, mode: 'query', auth: true, params: {} },
  { operation, apiClass, method: 'GET', path: `${path}/{uuid}`, mode: 'query', auth: true, params: {} },
];

export const APIS: ApiDef[] = [
  {
    operation: 'LogInByAccount',
    apiClass: 'org.zstack.header.identity.APILogInByAccountMsg',
    method: 'PUT',
    path: '/accounts/login',
    mode: 'sync',
    auth: false,
    wrapper: 'logInByAccount',
    params: { accountName: { type: 'string', required: true }, password: { type: 'string', required: true }, accountType: { type: 'string' }, captchaUuid: { type: 'string' }, verifyCode: { type: 'string' }, ...clientInfo },
  },
  {
    operation: 'LogInByUser',
    apiClass: 'org.zstack.header.identity.APILogInByUserMsg',
    method: 'PUT',
    path: '/accounts/users/login',
    mode: 'sync',
    auth: false,
    wrapper: 'logInByUser',
    params: { accountName: { type: 'string' }, accountUuid: { type: 'string' }, userName: { type: 'string', required: true }, password: { type: 'string', required: true }, ...clientInfo },
  },
  {
    operation: 'LoginIAM2VirtualID',
    apiClass: 'org.zstack.iam2.api.APILoginIAM2VirtualIDMsg',
    method: 'PUT',
    path: '/iam2/virtual-ids/login',
    mode: 'sync',
    auth: false,
    wrapper: 'loginIAM2VirtualID',
    params: { name: { type: 'string', required: true }, password: { type: 'string', required: true }, captchaUuid: { type: 'string' }, verifyCode: { type: 'string' }, ...clientInfo },
  },
  {
    operation: 'LoginIAM2Project',
    apiClass: 'org.zstack.iam2.api.APILoginIAM2ProjectMsg',
    method: 'PUT',
    path: '/iam2/projects/login',
    mode: 'sync',
    auth: true,
    wrapper: 'loginIAM2Project',
    params: { projectName: { type: 'string', required: true }, ...clientInfo },
  },
  { operation: 'ValidateSession', apiClass: 'org.zstack.header.identity.APIValidateSessionMsg', method: 'GET', path: '/accounts/sessions/{sessionUuid}/valid', mode: 'sync', auth: false, params: { sessionUuid: { type: 'string', required: true } } },
  {
    operation: 'RenewSession',
    apiClass: 'org.zstack.header.identity.APIRenewSessionMsg',
    method: 'PUT',
    path: '/accounts/sessions/{sessionUuid}/renew',
    mode: 'async',
    auth: true,
    wrapper: 'renewSession',
    params: { sessionUuid: { type: 'string', required: true }, duration: { type: 'int' } },
  },
  { operation: 'LogOut', apiClass: 'org.zstack.header.identity.APILogOutMsg', method: 'DELETE', path: '/accounts/sessions/{sessionUuid}', mode: 'sync', auth: false, params: { sessionUuid: { type: 'string', required: true }, ...clientInfo } },
  ...query('QueryIAM2Project', '/iam2/projects', 'org.zstack.iam2.api.APIQueryIAM2ProjectMsg'),
  ...query('QueryIAM2VirtualID', '/iam2/virtual-ids', 'org.zstack.iam2.api.APIQueryIAM2VirtualIDMsg'),
  {
    operation: 'CreateTicket',
    apiClass: 'org.zstack.ticket.api.APICreateTicketMsg',
    method: 'POST',
    path: '/tickets',
    mode: 'async',
    auth: true,
    wrapper: 'params',
    params: {
      name: { type: 'string', required: true, maxLength: 255 },
      description: { type: 'string', maxLength: 2048 },
      requests: { type: 'list', required: true, nonempty: true, items: requestItem },
      flowCollectionUuid: { type: 'string' },
      accountSystemType: { type: 'string', required: true },
      accountSystemContext: { type: 'object', required: true },
      resourceUuid: { type: 'string' },
      tagUuids: { type: 'list' },
    },
  },
  ...query('QueryTicket', '/tickets', 'org.zstack.ticket.api.APIQueryTicketMsg'),
  ...query('QueryTicketHistory', '/tickets/histories', 'org.zstack.ticket.api.APIQueryTicketHistoryMsg'),
  ...query('QueryTicketFlowCollection', '/tickets/flow-collections', 'org.zstack.ticket.api.APIQueryTicketFlowCollectionMsg'),
  ...query('QueryTicketFlow', '/tickets/flow', 'org.zstack.ticket.api.APIQueryTicketFlowMsg'),
  ...query('QueryTicketType', '/ticket-types', 'org.zstack.ticket.api.APIQueryTicketTypeMsg'),
  {
    operation: 'ChangeTicketStatus',
    apiClass: 'org.zstack.ticket.api.APIChangeTicketStatusMsg',
    method: 'PUT',
    path: '/tickets/{uuid}/actions',
    mode: 'async',
    auth: true,
    wrapper: 'changeTicketStatus',
    params: { uuid: { type: 'string', required: true }, statusEvent: { type: 'string', required: true, validValues: STATUS_EVENTS }, comment: { type: 'string', maxLength: 65535 } },
  },
  {
    operation: 'UpdateTicketRequest',
    apiClass: 'org.zstack.ticket.api.APIUpdateTicketRequestMsg',
    method: 'PUT',
    path: '/tickets/{uuid}/actions',
    mode: 'async',
    auth: true,
    wrapper: 'updateTicketRequest',
    params: { uuid: { type: 'string', required: true }, requests: { type: 'list', required: true, nonempty: true, items: requestItem }, description: { type: 'string', maxLength: 2048 } },
  },
  {
    operation: 'DeleteTicket',
    apiClass: 'org.zstack.ticket.api.APIDeleteTicketMsg',
    method: 'DELETE',
    path: '/tickets/{uuid}',
    mode: 'async',
    auth: true,
    params: { uuid: { type: 'string', required: true }, deleteMode: { type: 'string', validValues: ['Permissive', 'Enforcing'] } },
  },
];

const isPattern = (path: string) => path.includes('{');

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const vars: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const m = /^\{(.+)\}$/.exec(want[i]);
    if (m) {
      if (!got[i]) return undefined;
      vars[m[1]] = got[i];
    } else if (want[i] !== got[i]) return undefined;
  }
  return vars;
}

/** The APIs mapped to a path (exact paths win over patterns), with the path's variables; 404 when none. */
export function apisAt(path: string): { candidates: ApiDef[]; vars: Record<string, string> } {
  const exact = APIS.filter((a) => !isPattern(a.path) && a.path === path);
  if (exact.length) return { candidates: exact, vars: {} };
  for (const api of APIS.filter((a) => isPattern(a.path))) {
    const vars = matchPattern(api.path, path);
    if (vars) return { candidates: APIS.filter((a) => a.path === api.path), vars };
  }
  throw new PlainFailure(404, `no api mapping to /v1${path}`);
}

/** The API for this method among a path's candidates (a PUT by its action key). */
export function pick(candidates: ApiDef[], method: string, body: Record<string, unknown>, path: string): ApiDef {
  const forMethod = candidates.filter((a) => a.method === method);
  if (forMethod.length === 0) throw new PlainFailure(405, `The method[${method}] is not allowed for the path[/zstack/v1${path}]`);
  if (method !== 'PUT' || forMethod.length === 1) return forMethod[0];
  const chosen = forMethod.find((a) => a.wrapper && a.wrapper in body);
  if (!chosen) throw new PlainFailure(400, `the body doesn't contain action mapping to the URL[/v1${path}]`);
  return chosen;
}
