import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServers } from '../loopback';
import { type AttachmentLimits, Attachments, defaultLimits } from './attachments';
import { type Caller, Cases, type FakeCase, type FakeMessage } from './cases';
import * as config from './config';
import { type Answer, apiNotFound, authFailed, backendUnavailable, methodNotFound, ok, osmFramework, throttled } from './errors';
import { type AuthKind, type Fault, type FaultKind, Faults, type Operation } from './faults';
import { Iam, type IamUser, type TokenScope } from './iam';
import { resolve, type ServerKind } from './routes';
import { type AccessKey, headerList, type PayloadStyle, type RefusalReason, splitTarget, type UriStyle, verifySignature } from './verifier';

/**
 * A loopback Huawei Cloud ticket service (OSM API v2) behind an API Gateway look-alike, plus the IAM calls a client
 * needs: every request is authenticated as the gateway does (SDK-HMAC-SHA256 or an IAM token), answered with an
 * X-Request-Id, logged, and may meet an injected fault.
 */

export interface FakeOsmOptions {
  /** IAM token lifetime (real: 24 h). */
  tokenLifetimeMs?: number;
  /** A new case shows in list/count results only after this long; detail by id works at once. */
  listLagMs?: number;
  /** Allowed X-Sdk-Date difference (real: 15 min). */
  skewMs?: number;
  attachmentLimits?: Partial<AttachmentLimits>;
  /** Minimum time between two urges of a case before OSM.01010004. */
  urgeIntervalMs?: number;
  /** The code of the 401 for an expired token: the gateway's (default) or the service's OSM.0002 [inferred]. */
  expiredTokenCode?: 'APIGW.0301' | 'OSM.0002';
  /** The fake's clock (ms since the epoch). */
  now?: () => number;
}

export interface RecordedRequest {
  server: ServerKind;
  method: string;
  path: string;
  query: Record<string, string[]>;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  operation?: Operation;
  auth: AuthKind;
  /** Whether the credentials (signature, token or password) were accepted. */
  verified: boolean;
  refusal?: RefusalReason | 'token-unknown' | 'token-expired' | 'bad-login';
  /** 0 when the socket was destroyed instead of answering. */
  status: number;
  errorCode?: string;
  fault?: FaultKind;
  requestId: string;
  /** What the fake saw where the spec is [inferred]: signing variants, the token's scope. */
  seen: { uriStyle?: UriStyle; payload?: PayloadStyle; signedHeaders?: string[]; domainIdHeader?: boolean; tokenScope?: TokenScope };
}

type Authenticated = { ok: true; caller: Caller } | { ok: false; answer: Answer };

export class FakeOsm {
  readonly keys = new Map<string, AccessKey>();
  readonly iam: Iam;
  readonly attachments: Attachments;
  readonly cases: Cases;
  readonly requests: RecordedRequest[] = [];
  readonly faults = new Faults();
  /** Exceptions the fake itself threw while answering (should stay empty). */
  readonly errors: unknown[] = [];
  skewMs: number;
  expiredTokenCode: 'APIGW.0301' | 'OSM.0002';
  now: () => number;
  url = '';
  iamUrl = '';
  private readonly servers = new LoopbackServers();

  constructor(options: FakeOsmOptions = {}) {
    this.now = options.now ?? Date.now;
    this.skewMs = options.skewMs ?? 15 * 60_000;
    this.expiredTokenCode = options.expiredTokenCode ?? 'APIGW.0301';
    this.iam = new Iam(options.tokenLifetimeMs ?? 24 * 3600_000);
    this.attachments = new Attachments({ ...defaultLimits, ...options.attachmentLimits });
    this.cases = new Cases(this.attachments, () => this.now());
    this.cases.listLagMs = options.listLagMs ?? 0;
    if (options.urgeIntervalMs !== undefined) this.cases.urgeIntervalMs = options.urgeIntervalMs;
  }

  get listLagMs(): number {
    return this.cases.listLagMs;
  }

  set listLagMs(ms: number) {
    this.cases.listLagMs = ms;
  }

  get tokenLifetimeMs(): number {
    return this.iam.tokenLifetimeMs;
  }

  set tokenLifetimeMs(ms: number) {
    this.iam.tokenLifetimeMs = ms;
  }

  addAccessKey(key: AccessKey): void {
    this.keys.set(key.ak, key);
  }

  addIamUser(user: IamUser): void {
    this.iam.addUser(user);
  }

  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  setNativeStatus(caseId: string, code: number): void {
    this.cases.setNativeStatus(caseId, code);
  }

  addEngineerMessage(caseId: string, text: string): FakeMessage {
    return this.cases.addEngineerMessage(caseId, text);
  }

  caseById(caseId: string): FakeCase | undefined {
    return this.cases.find(caseId);
  }

  requestsOf(operation: Operation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  async start(): Promise<void> {
    this.url = await this.listen('osm');
    this.iamUrl = await this.listen('iam');
  }

  async stop(): Promise<void> {
    await this.servers.close();
  }

  private listen(kind: ServerKind): Promise<string> {
    return this.servers.listen((req, res) => {
      // A bug in the fake answers 500 (and shows in the log) instead of leaving the client hanging.
      this.handle(kind, req, res).catch((error: unknown) => {
        this.errors.push(error);
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json;charset=UTF-8', 'X-Request-Id': randomUUID() });
        res.end(JSON.stringify({ error_code: 'OSM.0004', error_msg: `Internal error: ${String(error)}` }));
      });
    });
  }

  private async handle(kind: ServerKind, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const target = req.url ?? '/';
    const { path, search } = splitTarget(target);
    const query = new URLSearchParams(search.replace(/\+/g, '%2B'));
    const headers: Record<string, string> = {};
    for (const [name, value] of headerList(req.rawHeaders)) headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    const record: RecordedRequest = { server: kind, method: req.method ?? '', path, query: {}, headers, body, auth: 'none', verified: false, status: 0, requestId: randomUUID(), seen: {} };
    for (const key of new Set(query.keys())) record.query[key] = query.getAll(key);
    this.requests.push(record);
    const send = (answer: Answer) => this.send(res, record, answer);

    const route = resolve(kind, record.method, path);
    if ('missing' in route) return send(route.missing === 'path' ? apiNotFound() : methodNotFound());
    record.operation = route.operation;

    let caller: Caller | undefined;
    if (route.operation === 'iamToken') record.auth = 'password';
    else {
      const auth = this.authenticate(record, { method: record.method, target, rawHeaders: req.rawHeaders, body });
      if (!auth.ok) return send(auth.answer);
      caller = auth.caller;
    }

    const fault = this.faults.take(route.operation, record.auth);
    if (fault) record.fault = fault.kind;
    switch (fault?.kind) {
      case 'reset':
        return void req.socket.destroy();
      case 'throttle': {
        const answer = throttled();
        if (fault.retryAfterMs !== undefined) answer.headers = { 'Retry-After': String(Math.ceil(fault.retryAfterMs / 1000)) };
        return send(answer);
      }
      case '5xx':
        return send((fault.status ?? 503) === 500 ? osmFramework(500) : backendUnavailable(fault.status ?? 503));
      case 'skew':
        record.verified = false;
        record.refusal = 'skew';
        return send(authFailed('Incorrect IAM authentication information: verify aksk signature fail, the request x-sdk-date differs from the server time by more than 15 minutes'));
      case 'tokenExpired':
        this.iam.expire(headers['x-auth-token'] ?? '', this.now());
        record.verified = false;
        record.refusal = 'token-expired';
        return send(this.expiredToken());
      case 'delay':
        await new Promise((r) => setTimeout(r, fault.delayMs ?? 1_000));
        break;
    }

    const answer = this.perform(route.operation, route.id ?? '', query, body, headers, caller, record);
    switch (fault?.kind) {
      case 'dropAfterCommit':
        return void req.socket.destroy();
      case 'malformed':
        return send({ status: 200, raw: '{"incident_id": "CS2026', headers: { 'Content-Type': 'application/json;charset=UTF-8' } });
      case 'wrongShape':
        return send({ status: 200, json: { request_id: record.requestId, data: answer.json ?? null } });
    }
    return send(answer);
  }

  private expiredToken(): Answer {
    return this.expiredTokenCode === 'OSM.0002' ? osmFramework(401, 'the token has expired') : authFailed('Incorrect IAM authentication information: the token has expired');
  }

  /** X-Auth-Token (IAM token) or Authorization: SDK-HMAC-SHA256; the gateway refuses anything else with APIGW.0301. */
  private authenticate(record: RecordedRequest, raw: { method: string; target: string; rawHeaders: string[]; body: Buffer }): Authenticated {
    const token = record.headers['x-auth-token'];
    const language: config.Language = /^en/i.test(record.headers['x-language'] ?? '') ? 'en-us' : 'zh-cn';
    if (token !== undefined && record.headers.authorization === undefined) {
      record.auth = 'token';
      const check = this.iam.check(token, this.now());
      if (!check.ok) {
        record.refusal = check.reason === 'expired' ? 'token-expired' : 'token-unknown';
        return { ok: false, answer: check.reason === 'expired' ? this.expiredToken() : authFailed('Incorrect IAM authentication information: decrypt token fail') };
      }
      record.verified = true;
      record.seen.tokenScope = check.token.scope;
      return { ok: true, caller: { domainId: check.token.domainId, userId: check.token.userId, userName: check.token.userName, language } };
    }
    record.auth = record.headers.authorization === undefined ? 'none' : 'aksk';
    const verdict = verifySignature(raw, { keys: this.keys, now: new Date(this.now()), skewMs: this.skewMs });
    if (!verdict.ok) {
      record.refusal = verdict.reason;
      return { ok: false, answer: authFailed(verdict.message) };
    }
    record.verified = true;
    record.seen = { uriStyle: verdict.uriStyle, payload: verdict.payload, signedHeaders: verdict.signedHeaders, domainIdHeader: verdict.domainIdHeader };
    const key = verdict.key;
    return { ok: true, caller: { domainId: key.domainId, userId: key.userId ?? `ak-${key.ak}`, userName: key.userName ?? this.iam.domainName(key.domainId), language } };
  }

  private perform(operation: Operation, id: string, query: URLSearchParams, body: Buffer, headers: Record<string, string>, caller: Caller | undefined, record: RecordedRequest): Answer {
    if (operation === 'iamToken') return this.login(body, query, record);
    if (!caller) throw new Error('unauthenticated call reached the service');
    const language = caller.language;
    let json: unknown;
    const jsonBody = operation !== 'uploadAttachment' && body.length > 0;
    if (jsonBody) {
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        return osmFramework(400, 'the body is not valid JSON');
      }
    }
    const now = this.now();
    switch (operation) {
      case 'iamDomains':
        return ok({ domains: [{ id: caller.domainId, name: this.iam.domainName(caller.domainId), enabled: true, description: '' }], links: { self: `${this.iamUrl}/v3/auth/domains` } });
      case 'createCase':
        return this.cases.create(json, caller);
      case 'listCases':
        return this.cases.list(query, caller);
      case 'countCases':
        return this.cases.count(query, caller);
      case 'showCase':
        return this.cases.detail(id, caller);
      case 'showCaseStatus':
        return this.cases.status(id, caller);
      case 'action':
        return this.cases.action(id, query, json, caller);
      case 'score':
        return this.cases.score(id, json, caller);
      case 'updateContactInfo':
        return this.cases.contactInfo(id, json, caller);
      case 'operateLogs':
        return this.cases.operateLogs(id, query, caller);
      case 'listMessages':
        return this.cases.messages(id, query, caller);
      case 'unreadMessages':
        return this.cases.unread(query, caller);
      case 'markMessagesRead':
        return this.cases.markRead(id, caller);
      case 'addMessage':
        return this.cases.addMessage(id, json, caller);
      case 'addRelations':
        return this.cases.addRelations(id, json, caller);
      case 'listRelations':
        return this.cases.listRelations(id, caller);
      case 'deleteRelation':
        return this.cases.deleteRelation(id, json, caller);
      case 'uploadAttachment':
        return this.attachments.uploadMultipart(body, headers['content-type'] ?? '', caller.domainId, now);
      case 'uploadAttachmentJson':
        return typeof json === 'object' && json !== null && !Array.isArray(json) ? this.attachments.uploadJson(json as Record<string, unknown>, caller.domainId, now) : osmFramework(400, 'the body must be a JSON object');
      case 'attachmentLimits':
        return this.attachments.limitsAnswer();
      case 'downloadAttachment':
        return this.attachments.download(id, caller.domainId);
      case 'deleteAttachment':
        return this.attachments.delete(id, caller.domainId);
      case 'listCategories':
        return ok(config.categories(language));
      case 'listProducts':
        return ok(config.productList(query.get('product_category_name'), language));
      case 'listProblemTypes':
        return ok(config.problemList(query.get('product_category_id'), language));
      case 'listTemplates':
        return ok(config.templateList(query.get('business_type_id'), language));
      case 'listRegions':
        return ok(config.regionList(language));
      case 'listSeverities':
        return ok(config.severityList(language));
      case 'listExtendsParams':
        return ok(config.extendsParams(language));
      case 'listSatisfactionDimensions':
        return ok(config.satisfactionList(language));
      case 'configLimits':
        return ok({ config: { create_case_ccemail_max_count: 5 } });
    }
  }

  private login(body: Buffer, query: URLSearchParams, record: RecordedRequest): Answer {
    const { answer, token } = this.iam.login(body, query, this.now());
    record.verified = token !== undefined;
    if (!token) record.refusal = 'bad-login';
    else record.seen.tokenScope = token.scope;
    return answer;
  }

  private send(res: ServerResponse, record: RecordedRequest, answer: Answer): void {
    let json = answer.json as Record<string, unknown> | undefined;
    if (json && typeof json === 'object' && 'request_id' in json) json = { ...json, request_id: record.requestId };
    const payload = answer.raw ?? JSON.stringify(json ?? {});
    record.status = answer.status;
    const code = json && typeof json === 'object' ? json.error_code : undefined;
    if (typeof code === 'string' && code) record.errorCode = code;
    res.writeHead(answer.status, { 'Content-Type': 'application/json;charset=UTF-8', 'X-Request-Id': record.requestId, ...answer.headers });
    res.end(payload);
  }
}
