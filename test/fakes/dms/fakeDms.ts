import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { LoopbackServers } from '../loopback';
import { UploadJobs } from './uploadJobs';
import { type Credential, verify } from './verifier';
import { type CorrectParam, correctParamError, pluginParamError } from './ticketParams';

/**
 * A loopback DMS (RPC API 2018-11-01) for tests: verifies every request's V3 or V1 signature with its own code,
 * rejects stale timestamps and reused nonces, checks each request against its operation's parameter table (method,
 * names, places, required, types) and each ticket's JSON against DMS's documents, keeps tenants, users, instances
 * with their control mode, databases and tickets with their lifecycle, serves export results by URL, and injects
 * faults on demand.
 *
 * Refusals take two shapes, as DMS's do: what the API gateway checks (the request against the operation's table) and
 * ListOrders' / ListInstances' own filter checks answer HTTP 4xx with {RequestId, HostId, Code, Message, Recommend};
 * what DMS decides about content (ticket JSON, users, databases, control mode, ticket state) answers HTTP 200 with
 * Success:false, ErrorCode and ErrorMessage.
 */

export interface FakeUser {
  UserId: string;
  Uid: string;
  NickName: string;
  Roles: string[];
}

export type GroupMode = 'COMMON' | 'STABLE' | 'NONE_CONTROL';

export interface FakeInstance {
  InstanceId: string;
  InstanceAlias: string;
  Host: string;
  Port: number;
  Sid?: string;
  EnvType: string;
  InstanceType: string;
  InstanceSource: string;
  State: 'NORMAL' | 'DISABLE';
  GroupMode: GroupMode;
}

export interface FakeDatabase {
  DatabaseId: string;
  InstanceId: string;
  SchemaName: string;
  SearchName: string;
  Alias: string;
  Logic: boolean;
  DbType: string;
  EnvType: string;
}

export interface FakeOrder {
  OrderId: number;
  PluginType: string;
  StatusCode: string;
  Comment: string;
  CommitterId: string;
  CreateTime: string;
  LastModifyTime: string;
  RelatedUserIds: string[];
  WorkflowInstanceId: number;
  AttachmentKey?: string;
  /** The parsed PluginParam (CreateOrder) or Param (CreateDataCorrectOrder, CreateFreeLockCorrectOrder). */
  param: Record<string, unknown>;
  precheck: 'running' | 'success' | 'fail';
  handlers: string[];
  nodes: Array<{ NodeName: string; OperatorId: number; OperateTime: string; OperateComment: string; WorkflowInsCode: string; AuditUserIds: string[] }>;
  exportStatus?: string;
  executed: boolean;
}

export type FaultKind = 'delay' | 'reset' | '5xx' | 'throttle' | 'malformed' | 'successFalse' | 'emptySuccess' | 'dropAfterCommit';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this action; every action when absent. */
  action?: string;
  /** How many requests it hits (default 1). */
  times?: number;
  /** How many matching requests pass untouched before it starts hitting. */
  after?: number;
  delayMs?: number;
  retryAfterMs?: number;
  status?: number;
  code?: string;
  message?: string;
}

type ParamType = 'String' | 'Long' | 'Integer' | 'Json' | 'LongList';

interface ParamSpec {
  at: 'Query' | 'Body';
  type: ParamType;
  required: boolean;
}

export interface OperationSpec {
  params: Record<string, ParamSpec>;
  /** The HTTP methods the API gateway takes for the operation. */
  methods: ReadonlyArray<'GET' | 'POST'>;
}

/**
 * One operation's parameters, as the SDK's client and request models give them: `query` and `body` list
 * `Name[*][:Type]` words, `*` marking a required one; the type is String unless given (Long and Integer must be
 * integers; Json must be JSON; LongList a JSON array of integers).
 */
export function operation(query: string, body = '', methods: ReadonlyArray<'GET' | 'POST'> = ['GET', 'POST']): OperationSpec {
  const params: Record<string, ParamSpec> = {};
  for (const [at, list] of [['Query', query], ['Body', body]] as const) {
    for (const word of list.split(/\s+/).filter(Boolean)) {
      const [, name, star, type] = /^(\w+)(\*?)(?::(\w+))?$/.exec(word)!;
      params[name] = { at, type: (type ?? 'String') as ParamType, required: star === '*' };
    }
  }
  return { params, methods };
}

/**
 * The V1 common parameters: never "unknown", whatever the operation. The V1 verifier takes out all but RegionId,
 * which some operations' documents also list.
 */
const commonParams = new Set(['Action', 'Version', 'Format', 'AccessKeyId', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp', 'Signature', 'SecurityToken', 'RegionId']);

/**
 * Every parameter each operation has, where the real service expects it, and which it requires (its own table, from
 * the SDK's client and request models, not the client's). A parameter an operation does not have is refused.
 */
export const specs: Record<string, OperationSpec> = {
  GetUserActiveTenant: operation('Tid:Long'),
  ListUserTenants: operation('Tid:Long'),
  ListUsers: operation('Role UserState SearchKey PageNumber:Integer PageSize:Integer Tid:Long'),
  GetUser: operation('Uid UserId Tid:Long'),
  SearchDatabase: operation('SearchKey SearchRange SearchTarget EnvType DbType PageNumber:Integer PageSize:Integer Tid:Long RealLoginUserUid'),
  GetDatabase: operation('Host* Port*:Integer SchemaName* Sid Tid:Long RealLoginUserUid'),
  GetInstance: operation('Host* Port*:Integer Sid Tid:Long RealLoginUserUid'),
  ListInstances: operation('SearchKey DbType EnvType InstanceSource InstanceState NetType Region PageNumber:Long PageSize:Long Tid:Long RealLoginUserUid'),
  ListEffectiveOrders: operation('Tid:Long'),
  CreateOrder: operation('Comment* PluginType* RelatedUserList AttachmentKey Tid:Long RealLoginUserUid', 'PluginParam*:Json'),
  CreateDataCorrectOrder: operation('Comment* Param*:Json RelatedUserList:LongList AttachmentKey Tid:Long RealLoginUserUid'),
  CreateFreeLockCorrectOrder: operation('Comment* Param*:Json RelatedUserList:LongList AttachmentKey Tid:Long RealLoginUserUid'),
  ListOrders: operation('OrderResultType OrderStatus PluginType SearchContent SearchDateType StartTime EndTime PageNumber:Integer PageSize:Integer Tid:Long'),
  GetOrderBaseInfo: operation('OrderId*:Long Tid:Long'),
  GetApprovalDetail: operation('WorkflowInstanceId*:Long Tid:Long'),
  GetDataCorrectOrderDetail: operation('OrderId*:Long Tid:Long'),
  GetDataCorrectTaskDetail: operation('OrderId*:Long Tid:Long'),
  GetDataExportOrderDetail: operation('Tid:Long', 'OrderId*:Long'),
  GetDataExportPreCheckDetail: operation('OrderId*:Long Tid:Long'),
  GetDataExportDownloadURL: operation('OrderId*:Long Tid:Long RealLoginUserUid'),
  SubmitOrderApproval: operation('OrderId*:Long Tid:Long RealLoginUserUid'),
  ApproveOrder: operation('WorkflowInstanceId*:Long ApprovalType* Comment NewApprover:Long NewApproverList OldApprover:Long ApprovalNodeId:Long ApprovalNodePos Tid:Long RealLoginUserUid'),
  CloseOrder: operation('OrderId*:Long CloseReason* Tid:Long'),
  // Tid is a String here in the SDK model.
  ExecuteDataCorrect: operation('OrderId*:Long ActionDetail:Json Tid RealLoginUserUid'),
  ExecuteDataExport: operation('OrderId*:Long ActionDetail:Json Tid:Long RealLoginUserUid', '', ['POST']),
  CreateUploadOSSFileJob: operation('FileSource* FileName* UploadTarget*:Json Tid:Long RealLoginUserUid'),
  CreateUploadFileJob: operation('FileSource* FileName* UploadURL* Tid:Long RealLoginUserUid'),
  GetUserUploadFileJob: operation('JobKey* Tid:Long RealLoginUserUid'),
};

export interface RecordedCall {
  action: string;
  version: 'v3' | 'v1';
  accessKeyId: string;
  query: Record<string, string>;
  body: Record<string, string>;
}

type Params = Map<string, string>;
type Reply = { status?: number; json: Record<string, unknown> };

const modeNames: Record<GroupMode, string> = { COMMON: 'Security Collaboration', STABLE: 'Stable Change', NONE_CONTROL: 'Flexible Management' };

/** Ticket types CreateOrder's document sends elsewhere. */
const dedicatedOperations: Record<string, string> = {
  DATA_CORRECT: 'CreateDataCorrectOrder',
  DC_COMMON: 'CreateDataCorrectOrder',
  DC_CHUNK: 'CreateFreeLockCorrectOrder',
  DC_CRON_CLEAR: 'CreateDataCronClearOrder',
  DC_BIG_FILE: 'CreateDataImportOrder',
  DC_PROC: 'CreateProcCorrectOrder',
  TABLE_SYNC: 'CreateStructSyncOrder',
  SQLReview: 'CreateSQLReviewOrder',
  DB_EXPORT: 'CreateDatabaseExportOrder',
  DATA_TRACK: 'CreateDataTrackOrder',
  DATA_ARCHIVE: 'CreateDataArchiveOrder',
};

const pluginTypes = ['DF_PUBLISH', 'DATA_CORRECT', 'NDDL', 'TABLE_SYNC', 'DC_COMMON', 'DC_CHUNK', 'DC_CRON_CLEAR', 'DC_PROC', 'DC_BIG_FILE', 'DATA_EXPORT', 'DB_EXPORT', 'SQLReview', 'DATABASE_CLONE', 'GENERATE', 'DATA_TRACK', 'DATA_ARCHIVE', 'DATA_WAREHOUSE', 'DATA_SNAPSHOT', 'SAAS_DB_MOVE', 'PERM_APPLY', 'OWNER_APPLY', 'PROXY_APPLY', 'SENSITIVITY', 'HealthReport'];

/** Case-sensitive, as documented (note AS_Related). */
const orderResultTypes = ['AS_ADMIN', 'AS_COMMITTER', 'AS_HANDLER', 'AS_OWNER', 'AS_Related'];

function instance(id: string, alias: string, host: string, env: string, mode: GroupMode): FakeInstance {
  return { InstanceId: id, InstanceAlias: alias, Host: host, Port: 3306, EnvType: env, InstanceType: 'mysql', InstanceSource: 'RDS', State: 'NORMAL', GroupMode: mode };
}

const dmsTime = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');

export class FakeDms {
  readonly credentials = new Map<string, Credential>();
  /** Which DMS user each AccessKey belongs to. */
  readonly owners = new Map<string, string>();
  readonly users: FakeUser[] = [
    { UserId: '101', Uid: '2001', NickName: 'alice', Roles: ['USER'] },
    { UserId: '102', Uid: '2002', NickName: 'bob', Roles: ['DBA'] },
    { UserId: '103', Uid: '2003', NickName: 'carol', Roles: ['ADMIN'] },
  ];
  /**
   * DMS instances with their control mode (StandardGroup.GroupMode): COMMON = Security Collaboration, STABLE = Stable
   * Change, NONE_CONTROL = Flexible Management.
   */
  readonly instances: FakeInstance[] = [
    instance('1001', 'shop_prod_rds', 'rm-bp1.mysql.rds.aliyuncs.com', 'product', 'COMMON'),
    instance('1002', 'crm_prod_rds', 'rm-bp2.mysql.rds.aliyuncs.com', 'product', 'COMMON'),
    instance('1003', 'crm_test_rds', 'rm-bp3.mysql.rds.aliyuncs.com', 'test', 'COMMON'),
    instance('1004', 'billing_rds', 'rm-bp4.mysql.rds.aliyuncs.com', 'product', 'STABLE'),
    instance('1005', 'sandbox_rds', 'rm-bp5.mysql.rds.aliyuncs.com', 'dev', 'NONE_CONTROL'),
  ];
  readonly databases: FakeDatabase[] = [
    { DatabaseId: '1860', InstanceId: '1001', SchemaName: 'shop', SearchName: 'shop@rm-bp1.mysql.rds.aliyuncs.com:3306', Alias: 'shop_prod', Logic: false, DbType: 'mysql', EnvType: 'product' },
    { DatabaseId: '1861', InstanceId: '1002', SchemaName: 'crm', SearchName: 'crm@rm-bp2.mysql.rds.aliyuncs.com:3306', Alias: 'crm_prod', Logic: false, DbType: 'mysql', EnvType: 'product' },
    { DatabaseId: '1862', InstanceId: '1003', SchemaName: 'crm', SearchName: 'crm@rm-bp3.mysql.rds.aliyuncs.com:3306', Alias: 'crm_test', Logic: false, DbType: 'mysql', EnvType: 'test' },
    { DatabaseId: '1870', InstanceId: '1004', SchemaName: 'billing', SearchName: 'billing@rm-bp4.mysql.rds.aliyuncs.com:3306', Alias: 'billing_prod', Logic: false, DbType: 'mysql', EnvType: 'product' },
    { DatabaseId: '1880', InstanceId: '1005', SchemaName: 'sandbox', SearchName: 'sandbox@rm-bp5.mysql.rds.aliyuncs.com:3306', Alias: 'sandbox_dev', Logic: false, DbType: 'mysql', EnvType: 'dev' },
    // A logical database (sharded over the COMMON instances); InstanceId is where the fake looks up its control mode.
    { DatabaseId: '1890', InstanceId: '1001', SchemaName: 'orders', SearchName: 'orders_logic', Alias: 'orders_logic', Logic: true, DbType: 'mysql', EnvType: 'product' },
  ];
  /** How CreateOrder answers its ticket id: the SDK's `OrderIds: [id]`, or a scalar as in the API document's sample. */
  orderIdsShape: 'array' | 'number' | 'string' = 'array';
  tenants = [{ Tid: 3000, TenantName: 'acme', Status: 'ACTIVE' }];
  effectiveOrders: Array<Record<string, unknown>> = [
    { CommodityCode: 'dms_pre_public_cn', CommodityType: 'VersionType', VersionType: 'safety', TotalQuota: 12, OrderList: [{ OrderId: '2190037', BuyerId: '2698420314', InstanceId: 'rm-bp1', StartTime: '2026-01-01 00:00:00', EndTime: '2027-01-01 00:00:00', InsNum: '7' }] },
  ];
  /** Who approves new tickets (one approval node). */
  approver = '102';
  /** How many detail polls a precheck stays running before it completes. */
  precheckPolls = 0;
  /** How many polls an execution stays "processing". */
  executionPolls = 0;
  /** The export result file's content. */
  exportResult = Buffer.from('id,email\n1,a@example.com\n2,b@example.com\n');
  /** Whether ListOrders' SearchContent looks into the Comment (the real service's behaviour is not documented). */
  searchCoversComment = true;
  /** Users for whom AS_ADMIN is allowed. */
  admins = new Set(['103']);
  clock: () => Date = () => new Date();

  readonly orders: FakeOrder[] = [];
  /** Attachment upload jobs; set `uploads.readObject` to let them read a fake OSS. */
  readonly uploads = new UploadJobs();
  /** Attachment keys DMS knows (as uploads leave them): what AttachmentName / AttachmentKey may name. */
  readonly attachmentKeys: Set<string> = this.uploads.attachmentKeys;
  /** ListOrders shows a new ticket only this long after its creation, as DMS's search index lags its writes. */
  listLagMs = 0;
  private readonly createdAt = new Map<number, number>();
  readonly calls: RecordedCall[] = [];
  /**
   * Every HTTP request that reached the fake, in order: its action (or `download` for a result file), and whether its
   * signature passed. `calls` holds only the verified API calls, with their parameters.
   */
  readonly requests: Array<{ action: string; verified: boolean }> = [];
  /** Requests answered with an error, with the code. */
  readonly rejections: Array<{ action: string; code: string }> = [];
  private readonly faults: Fault[] = [];
  private readonly nonces = new Set<string>();
  private readonly pollCounts = new Map<string, number>();
  private nextOrderId = 900001;
  private readonly servers = new LoopbackServers();
  url = '';

  constructor() {
    this.addAccessKey('alice-ak', { secret: 'alice-secret-0123456789' }, '101');
    this.addAccessKey('bob-ak', { secret: 'bob-secret-0123456789' }, '102');
    this.addAccessKey('carol-ak', { secret: 'carol-secret-0123456789' }, '103');
  }

  addAccessKey(id: string, credential: Credential, userId: string): void {
    this.credentials.set(id, credential);
    this.owners.set(id, userId);
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  callsOf(action: string): RecordedCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async start(): Promise<string> {
    this.url = await this.servers.listen((req, res) => void this.handle(req, res));
    return this.url;
  }

  async stop(): Promise<void> {
    await this.servers.close();
  }

  private takeFault(action: string): Fault | undefined {
    const fault = this.faults.find((f) => !f.action || f.action === action);
    if (!fault) return undefined;
    if (fault.after) {
      fault.after -= 1;
      return undefined;
    }
    fault.times! -= 1;
    if (fault.times! <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.url ?? '/';
    const request = { action: target.startsWith('/download/') ? 'download' : actionOf(req.headers['x-acs-action'], target), verified: false };
    this.requests.push(request);
    if (target.startsWith('/download/')) return this.serveDownload(target, res);

    const verdict = verify({ method: req.method ?? '', target, rawHeaders: req.rawHeaders, body }, {
      credentials: this.credentials,
      now: this.clock(),
      skewMs: 15 * 60_000,
      seenNonce: (nonce) => this.nonces.has(nonce) || (this.nonces.add(nonce), false),
    });
    const requestId = randomUUID().toUpperCase();
    if (!verdict.ok) {
      this.rejections.push({ action: req.headers['x-acs-action']?.toString() ?? '', code: verdict.code });
      return send(res, verdict.status, { RequestId: requestId, ...gatewayError(verdict.status, verdict.code, verdict.message).json });
    }
    request.verified = true;
    this.calls.push({ action: verdict.action, version: verdict.version, accessKeyId: verdict.accessKeyId, query: Object.fromEntries(verdict.query), body: Object.fromEntries(verdict.body) });

    const fault = this.takeFault(verdict.action);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1_000));
    if (fault?.kind === 'throttle') {
      res.setHeader('x-acs-retry-after', String(fault.retryAfterMs ?? 10));
      return send(res, 400, { RequestId: requestId, Code: 'Throttling.User', Message: 'Request was denied due to user flow control.' });
    }
    if (fault?.kind === '5xx') return send(res, fault.status ?? 503, { RequestId: requestId, Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' });
    if (fault?.kind === 'successFalse') {
      return send(res, 200, { RequestId: requestId, Success: false, ErrorCode: fault.code ?? 'NoPermission', ErrorMessage: fault.message ?? 'You are not authorized to perform this operation.' });
    }

    if (fault?.kind === 'emptySuccess') return send(res, 200, { RequestId: requestId, Success: true });
    const checked = this.gateway(verdict.action, req.method ?? '', verdict.query, verdict.body);
    const reply = 'params' in checked ? this.serve(verdict.action, checked.params, this.owners.get(verdict.accessKeyId)!) : checked;
    if (fault?.kind === 'dropAfterCommit') return void req.socket.destroy();
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-acs-request-id': requestId });
      return void res.end('{"RequestId": "' + requestId + '", "Success": tr');
    }
    const json: Record<string, unknown> = { RequestId: requestId, ...reply.json };
    if (json.Success === undefined) Object.assign(json, reply.status ? {} : { Success: true, ErrorCode: 'UnknownError', ErrorMessage: 'UnknownError' });
    if (json.Success === false || (reply.status ?? 200) >= 400) this.rejections.push({ action: verdict.action, code: String(json.ErrorCode ?? json.Code) });
    send(res, reply.status ?? 200, json);
  }

  /**
   * What the API gateway checks before DMS sees a request: the operation, the HTTP method, that every parameter is
   * one the operation has and is in its place (a form-body parameter in the query is not seen, and the reverse),
   * required ones present, and integers and JSON well formed. Refusals are HTTP 400 with the gateway's body.
   */
  private gateway(action: string, method: string, query: Params, body: Params): Reply | { params: Params } {
    const spec = specs[action];
    if (!spec) return gatewayError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
    if (!(spec.methods as readonly string[]).includes(method)) return gatewayError(400, 'UnsupportedHTTPMethod', `This action does not support the HTTP method ${method}; use ${spec.methods.join(' or ')}.`);
    // The gateway reads a form body only on POST.
    const sent: Array<[string, string, 'Query' | 'Body']> = [...[...query].map(([k, v]) => [k, v, 'Query'] as [string, string, 'Query']), ...(method === 'POST' ? [...body].map(([k, v]) => [k, v, 'Body'] as [string, string, 'Body']) : [])];
    const params: Params = new Map();
    for (const [name, value, at] of sent) if (spec.params[name]?.at === at) params.set(name, value);
    const missing = Object.entries(spec.params).find(([name, p]) => p.required && !params.get(name));
    if (missing) return gatewayError(400, `Missing${missing[0]}`, `${missing[0]} is mandatory for this action.`);
    for (const [name, , at] of sent) {
      if (commonParams.has(name) && at === 'Query') continue;
      const known = spec.params[name];
      // Inferred: the gateway's code for a parameter the API does not define (or sends elsewhere).
      if (!known) return gatewayError(400, 'InvalidParameter', `The parameter ${name} is not a parameter of ${action}.`);
      if (known.at !== at) return gatewayError(400, 'InvalidParameter', `The parameter ${name} of ${action} belongs in the ${known.at === 'Body' ? 'form body' : 'query string'}.`);
    }
    for (const [name, value] of params) {
      if (!wellTyped(spec.params[name].type, value)) return gatewayError(400, `Invalid${name}`, `Specified parameter ${name} is not valid.`);
    }
    return { params };
  }

  private serve(action: string, params: Params, me: string): Reply {
    if (params.has('Tid') && !this.tenants.some((t) => String(t.Tid) === params.get('Tid'))) return refuse('InvalidTid', 'Specified parameter Tid is not valid.');
    return this.answer(action, params, me);
  }

  private serveDownload(target: string, res: ServerResponse): void {
    const match = /^\/download\/(\d+)\.zip\?token=([a-f0-9]+)$/.exec(target);
    const order = match && this.orders.find((o) => String(o.OrderId) === match[1]);
    if (!order || !order.executed || match![2] !== token(order)) {
      res.writeHead(403, { 'content-type': 'application/xml' });
      return void res.end('<Error><Code>AccessDenied</Code></Error>');
    }
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(this.exportResult.length) });
    res.end(this.exportResult);
  }

  private order(params: Params): FakeOrder | Reply {
    const order = this.orders.find((o) => String(o.OrderId) === params.get('OrderId'));
    return order ?? { json: { Success: false, ErrorCode: 'InvalidOrderId', ErrorMessage: 'Specified parameter OrderId is not valid.' } };
  }

  /** The instance at Host:Port (and Sid, when given: an instance without one matches no Sid). */
  private instanceAt(params: Params): FakeInstance | undefined {
    return this.instances.find((i) => i.Host === params.get('Host') && String(i.Port) === params.get('Port') && (!params.has('Sid') || i.Sid === params.get('Sid')));
  }

  private searchRow(d: FakeDatabase) {
    const at = this.instances.find((i) => i.InstanceId === d.InstanceId);
    const { InstanceId: _instance, ...row } = d;
    const address = d.Logic ? {} : { Host: at?.Host, Port: at?.Port, Sid: at?.Sid };
    return { ...row, ...address, Encoding: 'utf8mb4', CatalogName: 'def', DbaId: '102', OwnerIdList: { OwnerIds: ['102'] }, OwnerNameList: { OwnerNames: ['bob'] } };
  }

  private user(id: string): FakeUser | undefined {
    return this.users.find((u) => u.UserId === id);
  }

  private touch(order: FakeOrder, status?: string): void {
    if (status) order.StatusCode = status;
    order.LastModifyTime = dmsTime(this.clock());
  }

  /** Advances the precheck and execution of a ticket one poll at a time, as the real service does in the background. */
  private progress(order: FakeOrder): void {
    const key = `${order.OrderId}`;
    const polls = (this.pollCounts.get(key) ?? 0) + 1;
    this.pollCounts.set(key, polls);
    if (order.precheck === 'running' && polls > this.precheckPolls) {
      const sql = String(order.param.exeSQL ?? order.param.ExecSQL ?? this.uploads.sqlOf(order.param) ?? '');
      order.precheck = /FAIL_PRECHECK/.test(sql) ? 'fail' : 'success';
      if (order.PluginType === 'DATA_EXPORT') order.exportStatus = order.precheck === 'success' ? 'PRE_CHECK_SUCCESS' : 'PRE_CHECK_FAIL';
    }
    if (order.StatusCode === 'processing') {
      const ran = (this.pollCounts.get(`${key}-run`) ?? 0) + 1;
      this.pollCounts.set(`${key}-run`, ran);
      if (ran > this.executionPolls) {
        order.executed = true;
        if (order.PluginType === 'DATA_EXPORT') order.exportStatus = 'EXPORT_SUCCESS';
        this.touch(order, /FAIL_EXECUTION/.test(String(order.param.ExecSQL ?? order.param.exeSQL ?? '')) ? 'fail' : 'success');
      }
    }
  }

  private answer(action: string, params: Params, me: string): Reply {
    switch (action) {
      case 'GetUserActiveTenant':
        return { json: { Tenant: this.tenants[0] } };
      case 'ListUserTenants':
        return { json: { TenantList: this.tenants } };
      case 'GetUser': {
        const user = this.user(params.get('UserId') ?? '') ?? this.users.find((u) => u.Uid === params.get('Uid')) ?? this.user(me)!;
        return { json: { User: dmsUser(user) } };
      }
      case 'ListUsers': {
        if (params.has('PageSize') && !['10', '20', '50', '100'].includes(params.get('PageSize')!)) return gatewayError(403, 'InvalidPageSize', 'Specified parameter PageSize is not valid.');
        const key = (params.get('SearchKey') ?? '').toLowerCase();
        const users = this.users.filter((u) => u.NickName.toLowerCase().includes(key) || u.UserId === key);
        return { json: { TotalCount: users.length, UserList: { User: paged(users, params).map(dmsUser) } } };
      }
      case 'SearchDatabase': {
        const key = (params.get('SearchKey') ?? '').toLowerCase();
        const target = params.get('SearchTarget');
        const found = this.databases
          .filter((d) => [d.SearchName, d.Alias].some((n) => n.toLowerCase().includes(key)))
          .filter((d) => (target === 'LOGIC_DB' ? d.Logic : target === 'SINGLE_DB' ? !d.Logic : true));
        return { json: { TotalCount: found.length, SearchDatabaseList: { SearchDatabase: paged(found, params).map((d) => this.searchRow(d)) } } };
      }
      case 'GetDatabase': {
        const at = this.instanceAt(params);
        const db = at && this.databases.find((d) => d.InstanceId === at.InstanceId && d.SchemaName === params.get('SchemaName') && !d.Logic);
        // Inferred: the code DMS uses for an address that names no database.
        if (!at || !db) return refuse('InvalidParameterValid', `Database [${params.get('SchemaName')}@${params.get('Host')}:${params.get('Port')}] not exist`);
        const { OwnerIdList, OwnerNameList } = this.searchRow(db);
        return {
          json: {
            Database: {
              DatabaseId: db.DatabaseId, InstanceId: db.InstanceId, InstanceAlias: at.InstanceAlias, SchemaName: db.SchemaName, SearchName: db.SearchName, DbType: db.DbType, EnvType: db.EnvType,
              Host: at.Host, Port: at.Port, Sid: at.Sid, CatalogName: 'def', Encoding: 'utf8mb4', State: 'NORMAL', DbaId: '102', DbaName: 'bob', OwnerIdList, OwnerNameList,
            },
          },
        };
      }
      case 'GetInstance': {
        const at = this.instanceAt(params);
        if (!at) return refuse('InvalidParameterValid', `Instance [${params.get('Host')}:${params.get('Port')}] not exist`);
        return { json: { Instance: instanceRow(at) } };
      }
      case 'ListInstances': {
        const enums: Record<string, string[]> = {
          EnvType: ['product', 'dev', 'pre', 'test', 'sit', 'uat', 'pet', 'stag'],
          InstanceSource: ['PUBLIC_OWN', 'RDS', 'ECS_OWN', 'VPC_IDC'],
          InstanceState: ['NORMAL', 'DISABLE'],
          NetType: ['CLASSIC', 'VPC'],
        };
        for (const [name, values] of Object.entries(enums)) if (params.has(name) && !values.includes(params.get(name)!)) return gatewayError(403, 'InvalidParameterValid', `Specified parameter ${name} is not valid.`);
        const page = Number(params.get('PageNumber') ?? 1);
        const size = Number(params.get('PageSize') ?? 10);
        if (page < 1) return gatewayError(403, 'InvalidPageNumber', 'Specified parameter PageNumber is not valid.');
        if (size < 1 || size > 100) return gatewayError(403, 'InvalidPageSize', 'Specified parameter PageSize is not valid.');
        const key = (params.get('SearchKey') ?? '').toLowerCase();
        const found = this.instances.filter(
          (i) =>
            (!key || [i.InstanceAlias, i.Host].some((n) => n.toLowerCase().includes(key))) &&
            (!params.has('DbType') || i.InstanceType === params.get('DbType')) &&
            (!params.has('EnvType') || i.EnvType === params.get('EnvType')) &&
            (!params.has('InstanceSource') || i.InstanceSource === params.get('InstanceSource')) &&
            (!params.has('InstanceState') || i.State === params.get('InstanceState')),
        );
        return { json: { TotalCount: found.length, InstanceList: { Instance: found.slice((page - 1) * size, page * size).map(instanceRow) } } };
      }
      case 'ListEffectiveOrders':
        return { json: { OrderSummary: this.effectiveOrders } };
      case 'CreateOrder':
        return this.createOrder(params, me);
      case 'CreateDataCorrectOrder':
        return this.createCorrect(params, me, false);
      case 'CreateFreeLockCorrectOrder':
        return this.createCorrect(params, me, true);
      case 'ListOrders':
        return this.listOrders(params, me);
      case 'CreateUploadOSSFileJob':
      case 'CreateUploadFileJob':
      case 'GetUserUploadFileJob':
        return this.uploads.answer(action, params);
      case 'GetOrderBaseInfo': {
        const order = this.order(params);
        if ('json' in order) return order;
        this.progress(order);
        const nicks = order.RelatedUserIds.map((id) => this.user(id)?.NickName ?? id);
        return {
          json: {
            OrderBaseInfo: {
              ...orderRow(order, this.user(order.CommitterId)),
              WorkflowInstanceId: order.WorkflowInstanceId,
              WorkflowStatusDesc: order.StatusCode,
              RelatedUserList: { UserIds: order.RelatedUserIds },
              RelatedUserNickList: { UserNicks: nicks },
              ...(order.AttachmentKey ? { AttachmentKey: order.AttachmentKey, OriginAttachmentName: this.uploads.attachments.get(order.AttachmentKey)?.fileName } : {}),
            },
          },
        };
      }
      case 'GetApprovalDetail': {
        const order = this.orders.find((o) => String(o.WorkflowInstanceId) === params.get('WorkflowInstanceId') && o.WorkflowInstanceId > 0);
        if (!order) return { json: { Success: false, ErrorCode: 'InvalidWorkflowInstanceId', ErrorMessage: 'Specified parameter WorkflowInstanceId is not valid.' } };
        return {
          json: {
            ApprovalDetail: {
              OrderId: order.OrderId,
              OrderType: order.PluginType.startsWith('DC_') ? 'DATA_CORRECT' : order.PluginType,
              Title: String(order.param.title ?? order.Comment.split('\n')[0]),
              Description: order.PluginType === 'NDDL' ? String(order.param.description).replace(/\n/g, '<br/>') : 'ticket',
              WorkflowInsCode: order.StatusCode === 'toaudit' ? 'AUDITING' : order.StatusCode === 'reject' ? 'REJECT' : 'APPROVED',
              CurrentHandlers: { CurrentHandler: order.handlers.map((id) => ({ Id: Number(id), NickName: this.user(id)?.NickName })) },
              WorkflowNodes: { WorkflowNode: order.nodes.map(({ AuditUserIds, ...node }) => ({ ...node, AuditUserIdList: { AuditUserIds } })) },
            },
          },
        };
      }
      case 'GetDataExportOrderDetail': {
        const order = this.order(params);
        if ('json' in order) return order;
        if (order.PluginType !== 'DATA_EXPORT') return { json: { Success: false, ErrorCode: 'InvalidOrderId', ErrorMessage: 'The ticket is not a data export.' } };
        this.progress(order);
        const db = this.databases.find((d) => d.DatabaseId === String(order.param.dbId));
        return {
          json: {
            DataExportOrderDetail: {
              KeyInfo: { PreCheckId: 1, JobStatus: order.exportStatus ?? 'PRE_CHECKING' },
              OrderDetail: { DbId: Number(order.param.dbId), Database: db?.SearchName, Classify: order.param.classify, ExeSQL: order.param.exeSQL, Logic: false, ActualAffectRows: order.executed ? 2 : 0, EnvType: db?.EnvType },
            },
          },
        };
      }
      case 'GetDataExportPreCheckDetail': {
        const order = this.order(params);
        if ('json' in order) return order;
        return { json: { PreCheckResult: { IgnoreAffectRows: order.param.ignoreAffectRows, PreCheckDetailList: { PreCheckDetailList: [{ SQL: order.param.exeSQL, AffectRows: 2 }] } } } };
      }
      case 'GetDataCorrectOrderDetail': {
        const order = this.order(params);
        if ('json' in order) return order;
        if (!order.PluginType.startsWith('DC_')) return refuse('InvalidOrderId', 'The ticket is not a data change.');
        this.progress(order);
        const param = order.param as unknown as CorrectParam;
        const status = order.precheck === 'running' ? 'precheck' : order.precheck === 'fail' ? 'precheck_fail' : order.StatusCode === 'new' ? 'precheck_success' : order.StatusCode;
        return {
          json: {
            DataCorrectOrderDetail: {
              Status: status,
              ExecMode: param.ExecMode,
              DatabaseList: {
                Database: param.DbItemList.map((item) => {
                  const db = this.databases.find((d) => d.DatabaseId === String(item.DbId));
                  return { DbId: item.DbId, SearchName: db?.SearchName, DbType: db?.DbType, EnvType: db?.EnvType, Logic: item.Logic };
                }),
              },
              OrderDetail: {
                ExeSQL: param.ExecSQL,
                SqlType: param.SqlType,
                AttachmentName: param.AttachmentName,
                EstimateAffectRows: param.EstimateAffectRows,
                ActualAffectRows: order.executed ? 3 : 0,
                Classify: param.Classify,
                RbSQL: param.RollbackSQL,
                RbSQLType: param.RollbackSqlType,
                RbAttachmentName: param.RollbackAttachmentName,
              },
              ConfigDetail: { DetailType: order.PluginType === 'DC_CHUNK' ? 'CHUNK_DML' : 'COMMON' },
              PreCheckDetail: {
                TaskCheckDO: [
                  { CheckStep: 'PERMISSION_CHECK', CheckStatus: order.precheck === 'running' ? 'RUNNING' : 'SUCCESS', UserTip: '' },
                  { CheckStep: 'SQL_SYNTAX_CHECK', CheckStatus: order.precheck === 'running' ? 'WAITING' : order.precheck === 'fail' ? 'FAIL' : 'SUCCESS', UserTip: order.precheck === 'fail' ? 'SQL syntax error near FAIL_PRECHECK' : '' },
                ],
              },
            },
          },
        };
      }
      case 'GetDataCorrectTaskDetail': {
        const order = this.order(params);
        if ('json' in order) return order;
        return { json: { DataCorrectTaskDetail: { DBTaskGroupId: 1234, jobStatus: order.StatusCode === 'success' ? 'SUCCESS' : order.StatusCode === 'fail' ? 'FAIL' : 'RUNNING', ActualAffectRows: order.executed ? 3 : 0, CreateTime: order.CreateTime } } };
      }
      case 'GetDataExportDownloadURL': {
        const order = this.order(params);
        if ('json' in order) return order;
        const ready = order.executed && order.StatusCode === 'success';
        return { json: { DownloadURLResult: { HasResult: ready, URL: ready ? `${this.url}/download/${order.OrderId}.zip?token=${token(order)}` : '', TipMessage: ready ? '' : 'The export has not run yet.' } } };
      }
      case 'SubmitOrderApproval': {
        const order = this.order(params);
        if ('json' in order) return order;
        if (order.StatusCode !== 'new' || order.precheck !== 'success') return refuse('InvalidStatus', `The ticket cannot be submitted for approval in status ${order.StatusCode}.`);
        order.handlers = [this.approver];
        order.nodes.push({ NodeName: 'DBA', OperatorId: 0, OperateTime: '', OperateComment: '', WorkflowInsCode: 'AUDITING', AuditUserIds: [this.approver] });
        this.touch(order, 'toaudit');
        return { json: {} };
      }
      case 'ApproveOrder': {
        const order = this.orders.find((o) => String(o.WorkflowInstanceId) === params.get('WorkflowInstanceId'));
        if (!order) return refuse('InvalidWorkflowInstanceId', 'Specified parameter WorkflowInstanceId is not valid.');
        const type = (params.get('ApprovalType') ?? '').toUpperCase();
        if (order.StatusCode !== 'toaudit') return refuse('InvalidStatus', `The ticket is ${order.StatusCode}, not waiting for approval.`);
        if (type === 'CANCEL') {
          if (order.CommitterId !== me) return refuse('NoPermission', 'Only the submitter can cancel.');
          this.touch(order, 'cancel');
          return { json: {} };
        }
        if (!order.handlers.includes(me)) return refuse('NoPermission', 'You are not authorized to perform this operation.');
        const node = order.nodes[order.nodes.length - 1];
        if (type === 'TRANSFER') {
          const to = params.get('NewApprover') ?? '';
          if (!this.user(to)) return refuse('UserNotExist', `User [${to}] not exist`);
          order.handlers = [to];
          node.AuditUserIds = [to];
          this.touch(order);
          return { json: {} };
        }
        if (type !== 'AGREE' && type !== 'REJECT') return refuse('InvalidApprovalType', 'Specified parameter ApprovalType is not valid.');
        Object.assign(node, { OperatorId: Number(me), OperateTime: dmsTime(this.clock()), OperateComment: params.get('Comment') ?? '', WorkflowInsCode: type === 'AGREE' ? 'APPROVED' : 'REJECT' });
        order.handlers = [];
        this.touch(order, type === 'AGREE' ? 'approved' : 'reject');
        if (type === 'AGREE' && order.PluginType === 'DATA_EXPORT') order.exportStatus = 'ENABLE_EXPORT';
        return { json: {} };
      }
      case 'CloseOrder': {
        const order = this.order(params);
        if ('json' in order) return order;
        if (['success', 'fail', 'closed', 'cancel', 'reject'].includes(order.StatusCode)) return refuse('InvalidStatus', `The ticket is already ${order.StatusCode}.`);
        order.handlers = [];
        order.nodes.push({ NodeName: 'close', OperatorId: Number(me), OperateTime: dmsTime(this.clock()), OperateComment: params.get('CloseReason') ?? '', WorkflowInsCode: 'CANCEL', AuditUserIds: [] });
        this.touch(order, 'closed');
        return { json: {} };
      }
      case 'ExecuteDataExport':
      case 'ExecuteDataCorrect': {
        const order = this.order(params);
        if ('json' in order) return order;
        const isExport = order.PluginType === 'DATA_EXPORT';
        if (isExport !== (action === 'ExecuteDataExport')) return refuse('InvalidParameterValid', `${action} does not run ${order.PluginType} tickets.`);
        if (order.StatusCode !== 'approved') return refuse('InvalidStatus', `The ticket is ${order.StatusCode}, not approved.`);
        if (order.CommitterId !== me) return refuse('NoPermission', 'Only the submitter can execute this ticket.');
        JSON.parse(params.get('ActionDetail') ?? '{}');
        if (isExport) order.exportStatus = 'DOING_EXPORT';
        this.touch(order, 'processing');
        return { json: {} };
      }
      default:
        return { status: 404, json: { Code: 'InvalidApi.NotFound', Message: 'Specified api is not found.' } };
    }
  }

  /** CreateOrder: only the two ticket types its document gives it; the others have their own operations. */
  private createOrder(params: Params, me: string): Reply {
    const pluginType = params.get('PluginType')!;
    if (pluginType !== 'DATA_EXPORT' && pluginType !== 'NDDL') {
      const dedicated = dedicatedOperations[pluginType];
      // Inferred: the code and wording of this refusal are not documented.
      return refuse('InvalidParameterValid', dedicated ? `PluginType ${pluginType} cannot be created by CreateOrder: use ${dedicated}.` : `PluginType ${pluginType} is not supported by CreateOrder.`);
    }
    const param: unknown = JSON.parse(params.get('PluginParam')!);
    const error = pluginParamError(pluginType, param);
    if (error) return refuse('InvalidParameterValid', error);
    const p = param as { dbId: number; logic: boolean; relatedIds?: number[] };
    const related = params.get('RelatedUserList') ? params.get('RelatedUserList')!.split(',') : [];
    return this.file(pluginType, param as Record<string, unknown>, [{ DbId: p.dbId, Logic: p.logic }], [...related, ...(p.relatedIds ?? []).map(String)], params, me);
  }

  /** CreateDataCorrectOrder (DC_COMMON) and CreateFreeLockCorrectOrder (DC_CHUNK). */
  private createCorrect(params: Params, me: string, lockFree: boolean): Reply {
    const param: unknown = JSON.parse(params.get('Param')!);
    const error = correctParamError(param, lockFree);
    if (error) return refuse('InvalidParameterValid', error);
    const p = param as CorrectParam;
    const related = params.get('RelatedUserList') ? (JSON.parse(params.get('RelatedUserList')!) as number[]).map(String) : [];
    for (const name of [p.SqlType === 'ATTACHMENT' ? p.AttachmentName : undefined, p.RollbackSqlType === 'ATTACHMENT' ? p.RollbackAttachmentName : undefined]) {
      if (name !== undefined && !this.attachmentKeys.has(name)) return refuse('InvalidParameterValid', `Attachment [${name}] not exist`);
    }
    return this.file(lockFree ? 'DC_CHUNK' : 'DC_COMMON', param as Record<string, unknown>, p.DbItemList, related, params, me);
  }

  /**
   * What every create checks once its JSON is well formed: the databases exist (as physical or logical, as said),
   * their instances' control mode allows the ticket type, the related users and the attachment exist.
   */
  private file(pluginType: string, param: Record<string, unknown>, items: ReadonlyArray<{ DbId: number; Logic: boolean }>, users: string[], params: Params, me: string): Reply {
    for (const item of items) {
      const db = this.databases.find((d) => d.DatabaseId === String(item.DbId) && d.Logic === item.Logic);
      if (!db) return refuse('InvalidDbId', `Specified parameter DbId is not valid: ${item.DbId}.`);
      const mode = this.instances.find((i) => i.InstanceId === db.InstanceId)?.GroupMode ?? 'NONE_CONTROL';
      const allowed: readonly GroupMode[] = pluginType === 'DC_CHUNK' ? ['COMMON', 'STABLE'] : ['COMMON'];
      if (!allowed.includes(mode)) {
        // Inferred: DMS documents that these tickets need the mode, not the code and message of the refusal.
        return refuse('UnsupportedControlMode', `The instance [${db.InstanceId}] of database [${db.SearchName}] is in ${modeNames[mode]} mode; ${pluginType} tickets need ${allowed.map((m) => modeNames[m]).join(' or ')}.`);
      }
    }
    const stranger = users.find((id) => !/^\d+$/.test(id) || !this.user(id));
    if (stranger !== undefined) return refuse('UserNotExist', `User [${stranger}] not exist`);
    const attachmentKey = params.get('AttachmentKey');
    if (attachmentKey !== undefined && !this.attachmentKeys.has(attachmentKey)) return refuse('InvalidParameterValid', `Attachment [${attachmentKey}] not exist`);
    const now = dmsTime(this.clock());
    const id = this.nextOrderId++;
    const order: FakeOrder = {
      OrderId: id,
      PluginType: pluginType,
      StatusCode: 'new',
      Comment: params.get('Comment')!,
      CommitterId: me,
      CreateTime: now,
      LastModifyTime: now,
      RelatedUserIds: [...new Set(users)],
      WorkflowInstanceId: id + 5000,
      AttachmentKey: attachmentKey,
      param,
      precheck: pluginType === 'NDDL' ? 'success' : 'running',
      handlers: [],
      nodes: [],
      exportStatus: pluginType === 'DATA_EXPORT' ? 'PRE_CHECKING' : undefined,
      executed: false,
    };
    this.orders.push(order);
    this.createdAt.set(id, Date.now());
    if (pluginType === 'DC_COMMON' || pluginType === 'DC_CHUNK') return { json: { CreateOrderResult: [id] } };
    return { json: { CreateOrderResult: { OrderIds: this.orderIdsShape === 'array' ? [id] : this.orderIdsShape === 'number' ? id : String(id) } } };
  }

  /**
   * ListOrders. Its own checks of the filters and paging answer HTTP 403 InvalidParameterValid, as reported for a bad
   * OrderResultType; paging outside 1..100 is refused (no maximum is documented: the documented-safe range).
   */
  private listOrders(params: Params, me: string): Reply {
    const invalid = (name: string, code = 'InvalidParameterValid') => gatewayError(403, code, `Specified parameter ${name} is not valid.`);
    const type = params.get('OrderResultType') ?? 'AS_COMMITTER';
    if (!orderResultTypes.includes(type)) return invalid('OrderResultType');
    const status = params.get('OrderStatus') ?? 'ALL';
    if (!['ALL', 'FINISHED', 'RUNNING'].includes(status)) return invalid('OrderStatus');
    if (params.has('SearchDateType') && !['CREATE_TIME', 'MODIFY_TIME'].includes(params.get('SearchDateType')!)) return invalid('SearchDateType');
    if (params.has('PluginType') && !pluginTypes.includes(params.get('PluginType')!)) return invalid('PluginType');
    for (const name of ['StartTime', 'EndTime']) if (params.has(name) && !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.get(name)!)) return invalid(name, `Invalid${name}`);
    const page = Number(params.get('PageNumber') ?? 1);
    const size = Number(params.get('PageSize') ?? 10);
    if (page < 1) return invalid('PageNumber', 'InvalidPageNumber');
    if (size < 1 || size > 100) return invalid('PageSize', 'InvalidPageSize');
    if (type === 'AS_ADMIN' && !this.admins.has(me)) return refuse('NoPermission', 'You are not authorized to perform this operation.');
    const search = params.get('SearchContent');
    const pluginType = params.get('PluginType');
    const finished = ['success', 'fail', 'closed', 'cancel', 'reject'];
    const selected = this.orders
      .filter((o) =>
        type === 'AS_ADMIN'
          ? true
          : type === 'AS_COMMITTER'
            ? o.CommitterId === me
            : type === 'AS_HANDLER'
              ? o.handlers.includes(me)
              : type === 'AS_OWNER'
                ? o.nodes.some((n) => String(n.OperatorId) === me)
                : o.CommitterId === me || o.RelatedUserIds.includes(me) || o.handlers.includes(me) || o.nodes.some((n) => n.AuditUserIds.includes(me)),
      )
      .filter((o) => (status === 'FINISHED' ? finished.includes(o.StatusCode) : status === 'RUNNING' ? !finished.includes(o.StatusCode) : true))
      .filter((o) => !pluginType || o.PluginType === pluginType || (pluginType === 'DATA_CORRECT' && o.PluginType.startsWith('DC_')))
      .filter((o) => !search || String(o.OrderId) === search || (this.searchCoversComment && o.Comment.includes(search)))
      .filter((o) => Date.now() - (this.createdAt.get(o.OrderId) ?? 0) >= this.listLagMs)
      .sort((a, b) => b.OrderId - a.OrderId);
    const rows = selected.slice((page - 1) * size, page * size).map((o) => {
      this.progress(o);
      return orderRow(o, this.user(o.CommitterId));
    });
    return { json: { TotalCount: selected.length, Orders: { Order: rows } } };
  }
}

/** The API gateway's error body (and the shape DMS's HTTP 4xx refusals take). */
function gatewayError(status: number, code: string, message: string): Reply {
  return { status, json: { HostId: 'dms-enterprise.aliyuncs.com', Code: code, Message: message, Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=dms-enterprise` } };
}

function wellTyped(type: ParamType, value: string): boolean {
  switch (type) {
    case 'String':
      return true;
    case 'Long':
      return /^-?\d{1,19}$/.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n;
    case 'Integer':
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) < 2 ** 31;
    case 'Json':
    case 'LongList':
      try {
        const parsed: unknown = JSON.parse(value);
        if (type === 'Json') return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
        return Array.isArray(parsed) && parsed.every((v) => Number.isSafeInteger(v));
      } catch {
        return false;
      }
  }
}

function refuse(code: string, message: string): Reply {
  return { json: { Success: false, ErrorCode: code, ErrorMessage: message } };
}

function paged<T>(items: T[], params: Params): T[] {
  const page = Number(params.get('PageNumber') ?? 1);
  const size = Number(params.get('PageSize') ?? 10);
  return items.slice((page - 1) * size, page * size);
}

function instanceRow(i: FakeInstance) {
  return {
    InstanceId: i.InstanceId,
    InstanceAlias: i.InstanceAlias,
    InstanceType: i.InstanceType,
    InstanceSource: i.InstanceSource,
    Host: i.Host,
    Port: i.Port,
    Sid: i.Sid,
    EnvType: i.EnvType,
    State: i.State,
    DbaId: '102',
    DbaNickName: 'bob',
    DataLinkName: '',
    DdlOnline: 0,
    UseDsql: 0,
    QueryTimeout: 60,
    ExportTimeout: 600,
    SafeRuleId: '1',
    OwnerIdList: { OwnerIds: ['102'] },
    OwnerNameList: { OwnerNames: ['bob'] },
    StandardGroup: { GroupMode: i.GroupMode, GroupName: modeNames[i.GroupMode] },
  };
}

function token(order: FakeOrder): string {
  return (order.OrderId * 7919).toString(16);
}

function dmsUser(user: FakeUser) {
  return { UserId: user.UserId, Uid: user.Uid, NickName: user.NickName, State: 'NORMAL', RoleNameList: { RoleNames: user.Roles }, RoleIdList: { RoleIds: [] } };
}

function orderRow(order: FakeOrder, committer: FakeUser | undefined) {
  return {
    OrderId: order.OrderId,
    PluginType: order.PluginType,
    StatusCode: order.StatusCode,
    StatusDesc: order.StatusCode,
    Comment: order.Comment,
    Committer: committer?.NickName ?? order.CommitterId,
    CommitterId: Number(order.CommitterId),
    CreateTime: order.CreateTime,
    LastModifyTime: order.LastModifyTime,
  };
}

function send(res: ServerResponse, status: number, json: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...(typeof json.RequestId === 'string' ? { 'x-acs-request-id': json.RequestId } : {}) });
  res.end(JSON.stringify(json));
}

/** The action a request names before its signature is checked: the V3 header, else the V1 query's Action. */
function actionOf(header: string | string[] | undefined, target: string): string {
  const named = Array.isArray(header) ? header[0] : header;
  return named ?? new URL(target, 'http://fake.invalid').searchParams.get('Action') ?? '';
}
