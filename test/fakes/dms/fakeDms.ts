import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { UploadJobs } from './uploadJobs';
import { type Credential, verify } from './verifier';

/**
 * A loopback DMS (RPC API 2018-11-01) for tests: verifies every request's V3 or V1 signature with its own code,
 * rejects stale timestamps, reused nonces and missing or misplaced parameters, keeps tenants, users, databases and
 * tickets with their lifecycle, serves export results by URL, and injects faults on demand.
 */

export interface FakeUser {
  UserId: string;
  Uid: string;
  NickName: string;
  Roles: string[];
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
  /** The parsed PluginParam (CreateOrder) or Param (CreateDataCorrectOrder). */
  param: Record<string, unknown>;
  precheck: 'running' | 'success' | 'fail';
  handlers: string[];
  nodes: Array<{ NodeName: string; OperatorId: number; OperateTime: string; OperateComment: string; WorkflowInsCode: string; AuditUserIds: string[] }>;
  exportStatus?: string;
  executed: boolean;
  /** The create call's AttachmentKey. */
  attachmentKey?: string;
}

export type FaultKind = 'delay' | 'reset' | '5xx' | 'throttle' | 'malformed' | 'successFalse' | 'emptySuccess' | 'dropAfterCommit';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this action; every action when absent. */
  action?: string;
  /** How many requests it hits (default 1). */
  times?: number;
  delayMs?: number;
  retryAfterMs?: number;
  status?: number;
  code?: string;
  message?: string;
}

interface Spec {
  required: string[];
  body?: string[];
}

/** Where the real service expects each parameter, and which it requires (its own table, not the client's). */
const specs: Record<string, Spec> = {
  GetUserActiveTenant: { required: [] },
  ListUserTenants: { required: [] },
  ListUsers: { required: [] },
  GetUser: { required: [] },
  SearchDatabase: { required: [] },
  ListEffectiveOrders: { required: [] },
  CreateOrder: { required: ['Comment', 'PluginType', 'PluginParam'], body: ['PluginParam'] },
  CreateDataCorrectOrder: { required: ['Comment', 'Param'] },
  ListOrders: { required: [] },
  GetOrderBaseInfo: { required: ['OrderId'] },
  GetApprovalDetail: { required: ['WorkflowInstanceId'] },
  GetDataCorrectOrderDetail: { required: ['OrderId'] },
  GetDataCorrectTaskDetail: { required: ['OrderId'] },
  GetDataExportOrderDetail: { required: ['OrderId'], body: ['OrderId'] },
  GetDataExportPreCheckDetail: { required: ['OrderId'] },
  GetDataExportDownloadURL: { required: ['OrderId'] },
  SubmitOrderApproval: { required: ['OrderId'] },
  ApproveOrder: { required: ['WorkflowInstanceId', 'ApprovalType'] },
  CloseOrder: { required: ['OrderId', 'CloseReason'] },
  ExecuteDataCorrect: { required: ['OrderId'] },
  ExecuteDataExport: { required: ['OrderId'] },
  CreateUploadOSSFileJob: { required: ['FileSource', 'FileName', 'UploadTarget'] },
  CreateUploadFileJob: { required: ['FileSource', 'FileName', 'UploadURL'] },
  GetUserUploadFileJob: { required: ['JobKey'] },
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
  readonly databases = [
    { DatabaseId: '1860', SchemaName: 'shop', SearchName: 'shop@rm-bp1.mysql.rds.aliyuncs.com:3306', Alias: 'shop_prod', Logic: false, DbType: 'mysql', EnvType: 'product' },
    { DatabaseId: '1861', SchemaName: 'crm', SearchName: 'crm@rm-bp2.mysql.rds.aliyuncs.com:3306', Alias: 'crm_prod', Logic: false, DbType: 'mysql', EnvType: 'product' },
    { DatabaseId: '1862', SchemaName: 'crm', SearchName: 'crm@rm-bp3.mysql.rds.aliyuncs.com:3306', Alias: 'crm_test', Logic: false, DbType: 'mysql', EnvType: 'test' },
  ];
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
  readonly attachmentKeys: Set<string> = this.uploads.attachmentKeys;
  /** ListOrders shows a new ticket only this long after its creation, as DMS's search index lags its writes. */
  listLagMs = 0;
  private readonly createdAt = new Map<number, number>();
  readonly calls: RecordedCall[] = [];
  /** Requests answered with an error, with the code. */
  readonly rejections: Array<{ action: string; code: string }> = [];
  private readonly faults: Fault[] = [];
  private readonly nonces = new Set<string>();
  private readonly pollCounts = new Map<string, number>();
  private nextOrderId = 900001;
  private server?: Server;
  private readonly sockets = new Set<Socket>();
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

  callsOf(action: string): RecordedCall[] {
    return this.calls.filter((c) => c.action === action);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private takeFault(action: string): Fault | undefined {
    const fault = this.faults.find((f) => !f.action || f.action === action);
    if (!fault) return undefined;
    fault.times! -= 1;
    if (fault.times! <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.url ?? '/';
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
      return send(res, verdict.status, { RequestId: requestId, HostId: 'dms-enterprise.aliyuncs.com', Code: verdict.code, Message: verdict.message, Recommend: 'https://api.aliyun.com/troubleshoot' });
    }
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
    const spec = specs[verdict.action];
    let reply: Reply;
    if (!spec) reply = { status: 404, json: { Code: 'InvalidApi.NotFound', Message: `Specified api is not found, please check your url and method.` } };
    else {
      const params = placed(spec, verdict.query, verdict.body);
      const missing = spec.required.find((name) => !params.get(name));
      const me = this.owners.get(verdict.accessKeyId)!;
      if (missing) reply = { status: 400, json: { Code: `Missing${missing}`, Message: `${missing} is mandatory for this action.` } };
      else if (params.has('Tid') && !this.tenants.some((t) => String(t.Tid) === params.get('Tid'))) reply = { json: { Success: false, ErrorCode: 'InvalidTid', ErrorMessage: 'Specified parameter Tid is not valid.' } };
      else reply = this.answer(verdict.action, params, me);
    }
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
        const key = (params.get('SearchKey') ?? '').toLowerCase();
        const users = this.users.filter((u) => u.NickName.toLowerCase().includes(key) || u.UserId === key);
        return { json: { TotalCount: users.length, UserList: { User: users.map(dmsUser) } } };
      }
      case 'SearchDatabase': {
        const key = (params.get('SearchKey') ?? '').toLowerCase();
        const found = this.databases.filter((d) => [d.SearchName, d.Alias].some((n) => n.toLowerCase().includes(key)));
        return { json: { TotalCount: found.length, SearchDatabaseList: { SearchDatabase: found.map((d) => ({ ...d, OwnerIdList: { OwnerIds: ['102'] }, OwnerNameList: { OwnerNames: ['bob'] } })) } } };
      }
      case 'ListEffectiveOrders':
        return { json: { OrderSummary: this.effectiveOrders } };
      case 'CreateOrder':
        return this.create(params.get('PluginType')!, params.get('PluginParam')!, params, me, false);
      case 'CreateDataCorrectOrder':
        return this.create('DC_COMMON', params.get('Param')!, params, me, true);
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
              ...(order.attachmentKey ? { AttachmentKey: order.attachmentKey, OriginAttachmentName: this.uploads.attachments.get(order.attachmentKey)?.fileName } : {}),
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
              OrderType: order.PluginType === 'DC_COMMON' ? 'DATA_CORRECT' : order.PluginType,
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
        this.progress(order);
        const item = (order.param.DbItemList as Array<{ DbId: number }>)[0];
        const db = this.databases.find((d) => d.DatabaseId === String(item.DbId));
        const status = order.precheck === 'running' ? 'precheck' : order.precheck === 'fail' ? 'precheck_fail' : order.StatusCode === 'new' ? 'precheck_success' : order.StatusCode;
        return {
          json: {
            DataCorrectOrderDetail: {
              Status: status,
              ExecMode: order.param.ExecMode,
              DatabaseList: { Database: [{ DbId: item.DbId, SearchName: db?.SearchName, DbType: 'mysql', EnvType: db?.EnvType, Logic: false }] },
              OrderDetail: { ExeSQL: order.param.ExecSQL, SqlType: order.param.SqlType, AttachmentName: order.param.AttachmentName, EstimateAffectRows: order.param.EstimateAffectRows, ActualAffectRows: order.executed ? 3 : 0, Classify: order.param.Classify },
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

  private create(pluginType: string, paramText: string, params: Params, me: string, correct: boolean): Reply {
    let param: Record<string, unknown>;
    try {
      param = JSON.parse(paramText);
    } catch {
      return refuse('InvalidParameterValid', 'The parameter is not valid JSON.');
    }
    if (!['DATA_EXPORT', 'NDDL', 'DC_COMMON'].includes(pluginType)) return refuse('InvalidParameterValid', `PluginType ${pluginType} is not supported by this operation.`);
    const dbId = String(correct ? (param.DbItemList as Array<{ DbId?: number }> | undefined)?.[0]?.DbId : param.dbId);
    if (!this.databases.some((d) => d.DatabaseId === dbId)) return refuse('InvalidDbId', `Specified parameter DbId is not valid: ${dbId}.`);
    const fileProblem = this.uploads.problemWith(correct ? param : undefined, params.get('AttachmentKey'));
    if (fileProblem) return refuse('InvalidParameterValid', fileProblem);
    if (correct && ((param.SqlType === 'TEXT' && !param.ExecSQL) || param.EstimateAffectRows === undefined)) return refuse('InvalidParameterValid', 'Param lacks SqlType, ExecSQL or EstimateAffectRows.');
    const related = params.get('RelatedUserList');
    const relatedIds = !related ? [] : correct ? (JSON.parse(related) as number[]).map(String) : related.split(',');
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
      RelatedUserIds: relatedIds,
      WorkflowInstanceId: id + 5000,
      param,
      precheck: pluginType === 'NDDL' ? 'success' : 'running',
      handlers: [],
      nodes: [],
      exportStatus: pluginType === 'DATA_EXPORT' ? 'PRE_CHECKING' : undefined,
      executed: false,
      attachmentKey: params.get('AttachmentKey'),
    };
    this.orders.push(order);
    this.createdAt.set(id, Date.now());
    return { json: { CreateOrderResult: correct ? [id] : { OrderIds: [id] } } };
  }

  private listOrders(params: Params, me: string): Reply {
    const type = params.get('OrderResultType') ?? 'AS_COMMITTER';
    if (type === 'AS_ADMIN' && !this.admins.has(me)) return refuse('NoPermission', 'You are not authorized to perform this operation.');
    const status = params.get('OrderStatus') ?? 'ALL';
    const search = params.get('SearchContent');
    const finished = ['success', 'fail', 'closed', 'cancel', 'reject'];
    const selected = this.orders
      .filter((o) =>
        type === 'AS_ADMIN'
          ? true
          : type === 'AS_COMMITTER'
            ? o.CommitterId === me
            : type === 'AS_HANDLER'
              ? o.handlers.includes(me)
              : type === 'AS_Related'
                ? o.CommitterId === me || o.RelatedUserIds.includes(me) || o.handlers.includes(me) || o.nodes.some((n) => n.AuditUserIds.includes(me))
                : false,
      )
      .filter((o) => (status === 'FINISHED' ? finished.includes(o.StatusCode) : status === 'RUNNING' ? !finished.includes(o.StatusCode) : true))
      .filter((o) => !search || String(o.OrderId) === search || (this.searchCoversComment && o.Comment.includes(search)))
      .filter((o) => Date.now() - (this.createdAt.get(o.OrderId) ?? 0) >= this.listLagMs)
      .sort((a, b) => b.OrderId - a.OrderId);
    const page = Number(params.get('PageNumber') ?? 1);
    const size = Number(params.get('PageSize') ?? 10);
    const rows = selected.slice((page - 1) * size, page * size).map((o) => {
      this.progress(o);
      return orderRow(o, this.user(o.CommitterId));
    });
    return { json: { TotalCount: selected.length, Orders: { Order: rows } } };
  }
}

/** Parameters each from its declared place: a body parameter sent in the query (or the reverse) is not seen. */
function placed(spec: Spec, query: Params, body: Params): Params {
  const inBody = new Set(spec.body ?? []);
  const params = new Map<string, string>();
  for (const [k, v] of query) if (!inBody.has(k)) params.set(k, v);
  for (const [k, v] of body) if (inBody.has(k)) params.set(k, v);
  return params;
}

function refuse(code: string, message: string): Reply {
  return { json: { Success: false, ErrorCode: code, ErrorMessage: message } };
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
