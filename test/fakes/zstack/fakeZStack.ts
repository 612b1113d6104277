import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServers } from '../loopback';
import { ApiFailure, errorCode, PlainFailure, sessionExpired } from './errors';
import { type Fault, Faults, type Operation } from './faults';
import { type FlowCollectionInput, Flows } from './flows';
import { type Account, Directory, newUuid, type Project, type User, type VirtualId } from './identities';
import { type JobResult, Jobs } from './jobs';
import { bind, bindTags, validate } from './params';
import { parseQuery, type QuerySpec } from './query';
import { apisAt, type ApiDef, pick } from './routes';
import { answerApi } from './api';
import { Sessions } from './sessions';
import { type Ticket, TicketBook } from './tickets';
import { seedDefaultWorld } from './world';

/**
 * A loopback ZStack management node for the ticket (approval) APIs, written from the wire contract: REST paths and
 * JSON envelopes, SHA-512 logins and sessions, the async job protocol (202 + location on an internal address,
 * polling api-jobs), the query syntax, IAM2 tickets with multi-step approval, and faults on demand.
 */

export interface FakeZStackOptions {
  /** The management node's own base URL, put in job locations; the fake never listens there. */
  internalBaseUrl?: string;
  /** Session lifetime (identity.session.timeout, 7200 s by default). */
  sessionLifetimeMs?: number;
  /** How long an async job runs before its result is ready (0: ready at the first poll). */
  jobDurationMs?: number;
  /** How long a finished job's result is kept (rest.completedApi.expiredPeriod, 10800 s by default). */
  jobResultTtlMs?: number;
  /** A new ticket shows in QueryTicket lists only after this delay, unless queried by uuid. */
  listLagMs?: number;
  /** A write repeating an earlier X-Job-UUID: refused with 400 as the service does, or answered with the same job. */
  duplicateJobUuid?: 'reject' | 'sameJob';
  /** Empty results ({}) are sent as an empty body, as the REST server writes them. */
  blankEmptyBodies?: boolean;
  /** 'empty' starts with no identities, types or flows. */
  world?: 'default' | 'empty';
  /** Epoch ms; Date.now by default. */
  clock?: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  /** The parsed JSON body, or its text when it is not JSON. */
  body: unknown;
  operation?: Operation;
  /** The session named by the Authorization header, with who it belongs to (if it ever existed). */
  session?: { uuid: string; identity?: { kind: string; uuid: string; name: string } };
  /** The job of an async write, or the job polled. */
  jobUuid?: string;
  /** The answer's status, or 'destroyed' when the socket was destroyed instead. */
  status?: number | 'destroyed';
}

const API_PREFIX = '/zstack/v1';
const JOB_PATH = /^\/api-jobs\/([^/]+)$/;

type Answer = { status: number; body?: Record<string, unknown>; text?: string; headers?: Record<string, string> };

export class FakeZStack {
  url = '';
  internalBaseUrl: string;
  sessionLifetimeMs: number;
  jobDurationMs: number;
  jobResultTtlMs: number;
  listLagMs: number;
  duplicateJobUuid: 'reject' | 'sameJob';
  blankEmptyBodies: boolean;
  readonly clock: () => number;

  readonly requests: RecordedRequest[] = [];
  readonly directory: Directory;
  readonly sessions: Sessions;
  readonly jobs: Jobs;
  readonly flows: Flows;
  readonly book: TicketBook;
  private readonly faults = new Faults();
  private readonly servers = new LoopbackServers();

  constructor(options: FakeZStackOptions = {}) {
    this.internalBaseUrl = options.internalBaseUrl ?? 'http://10.0.0.5:8080';
    this.sessionLifetimeMs = options.sessionLifetimeMs ?? 7_200_000;
    this.jobDurationMs = options.jobDurationMs ?? 0;
    this.jobResultTtlMs = options.jobResultTtlMs ?? 10_800_000;
    this.listLagMs = options.listLagMs ?? 0;
    this.duplicateJobUuid = options.duplicateJobUuid ?? 'reject';
    this.blankEmptyBodies = options.blankEmptyBodies ?? true;
    this.clock = options.clock ?? Date.now;
    const now = () => this.clock();
    this.directory = new Directory(now);
    this.sessions = new Sessions(now, () => this.sessionLifetimeMs);
    this.jobs = new Jobs(now, () => this.jobResultTtlMs);
    this.flows = new Flows(this.directory, now);
    this.book = new TicketBook(this.directory, this.flows, now);
    if ((options.world ?? 'default') === 'default') seedDefaultWorld(this);
  }

  // --- seeding -------------------------------------------------------------------------------------------------

  addAccount(input: { name: string; password: string; uuid?: string; type?: Account['type'] }): Account {
    return this.directory.addAccount(input);
  }

  /** `account` by name or uuid. */
  addUser(input: { account: string; name: string; password: string; uuid?: string }): User {
    return this.directory.addUser(input);
  }

  /** `linkedAccount` (name or uuid) owns the project's resources. */
  addProject(input: { name: string; uuid?: string; description?: string; linkedAccount?: string }): Project {
    return this.directory.addProject(input);
  }

  /** `projects` by name or uuid. */
  addVirtualId(input: { name: string; password: string; uuid?: string; projects?: string[] }): VirtualId {
    return this.directory.addVirtualId(input);
  }

  /** A ticket type; its API classes become known APIs. */
  addTicketType(input: { name: string; apiNames: string[]; uuid?: string; description?: string; adminOnly?: boolean }) {
    this.addKnownApi(...input.apiNames);
    return this.flows.addTicketType(input);
  }

  addFlowCollection(input: FlowCollectionInput) {
    return this.flows.addFlowCollection(input);
  }

  /** API classes the service has (a request naming another is refused: "no API[...] found"). */
  addKnownApi(...apiNames: string[]): void {
    for (const name of apiNames) this.book.knownApis.add(name);
  }

  // --- test hooks ----------------------------------------------------------------------------------------------

  /** Executions of this API class fail on final approval (recorded in the history's requestResults). */
  failApi(apiName: string, details = `failed to execute API[${apiName}]`): void {
    this.book.failingApis.set(apiName, details);
  }

  /** Sets a ticket's status to any text, even one the service never uses. */
  setNativeStatus(uuid: string, value: string): void {
    const ticket = this.ticket(uuid);
    if (!ticket) throw new Error(`no ticket ${uuid}`);
    ticket.status = value;
  }

  injectFault(fault: Fault): void {
    this.faults.inject(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** The session dies after `uses` more authenticated calls (every live session when no uuid is given). */
  expireSessionAfterUses(uses: number, sessionUuid?: string): void {
    this.sessions.expireAfterUses(uses, sessionUuid);
  }

  expireSession(sessionUuid: string): void {
    this.sessions.expire(sessionUuid);
  }

  ticket(uuid: string): Ticket | undefined {
    return this.book.ticket(uuid);
  }

  get tickets(): readonly Ticket[] {
    return this.book.tickets;
  }

  requestsOf(operation: Operation): RecordedRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** The job uuid of every async write received, in order. */
  writeJobUuids(): string[] {
    return this.requests.filter((r) => r.operation !== 'pollJob' && r.jobUuid).map((r) => r.jobUuid!);
  }

  // --- server --------------------------------------------------------------------------------------------------

  async start(): Promise<string> {
    this.url = await this.servers.listen((req, res) => void this.handle(req, res));
    return this.url;
  }

  async stop(): Promise<void> {
    this.jobs.stop();
    await this.servers.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: queryRecord(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')])),
      body: parseLoose(text),
    };
    this.requests.push(record);
    let fault: Fault | undefined;
    try {
      const pathname = decodeURIComponent(url.pathname);
      if (!pathname.startsWith(`${API_PREFIX}/`)) throw new PlainFailure(404, `no api mapping to ${pathname}`);
      const path = pathname.slice(API_PREFIX.length);
      const job = JOB_PATH.exec(path);
      if (job) {
        record.operation = 'pollJob';
        record.jobUuid = job[1];
        if (record.method !== 'GET') throw new PlainFailure(405, 'only GET method is allowed for querying job status');
        fault = this.faults.take('pollJob', { asyncWrite: false, jobOperation: this.jobs.all.get(job[1])?.operation });
        if (await this.before(fault, req)) return void (record.status = 'destroyed');
        return this.finish(res, record, fault, this.poll(job[1], fault));
      }
      const { candidates, vars } = apisAt(path);
      const body = record.method === 'POST' || record.method === 'PUT' ? parseBody(text) : {};
      const api = pick(candidates, record.method, body, path);
      record.operation = api.operation;
      fault = this.faults.take(api.operation, { asyncWrite: api.mode === 'async' });
      if (await this.before(fault, req)) return void (record.status = 'destroyed');
      return this.finish(res, record, fault, this.call(api, vars, body, url.searchParams, req, record, fault));
    } catch (e) {
      if (e instanceof PlainFailure) return this.finish(res, record, fault, { status: e.status, text: e.text, headers: e.headers });
      return this.finish(res, record, fault, { status: 500, text: String((e as Error).message ?? e) });
    }
  }

  /** Faults that act before anything is done; true when the socket is gone. */
  private async before(fault: Fault | undefined, req: IncomingMessage): Promise<boolean> {
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return true;
    }
    if (fault?.kind === 'plain5xx') {
      const status = fault.status ?? 502;
      throw new PlainFailure(status, status === 503 ? '503 Service Temporarily Unavailable' : '502 Bad Gateway');
    }
    if (fault?.kind === 'throttle') throw new PlainFailure(429, '429 Too Many Requests', { 'retry-after': String(Math.ceil((fault.retryAfterMs ?? 1_000) / 1_000)) });
    if (fault?.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));
    return false;
  }

  private call(api: ApiDef, vars: Record<string, string>, body: Record<string, unknown>, search: URLSearchParams, req: IncomingMessage, record: RecordedRequest, fault: Fault | undefined): Answer {
    let sessionUuid: string | undefined;
    if (api.auth) {
      const auth = req.headers.authorization?.trim();
      if (auth === undefined) throw new PlainFailure(400, "missing header 'Authorization'");
      if (!auth.startsWith('OAuth')) throw new PlainFailure(400, "Authorization type must be 'OAuth'");
      sessionUuid = auth.replace('OAuth', '').trim();
      const identity = this.sessions.get(sessionUuid)?.identity;
      record.session = { uuid: sessionUuid, ...(identity ? { identity: { kind: identity.kind, uuid: identity.uuid, name: identity.name } } : {}) };
    }
    if (fault?.kind === 'sessionExpired') {
      if (!sessionUuid) return { status: 503, body: { error: sessionExpired().error } };
      this.sessions.expire(sessionUuid);
    }
    if (api.mode === 'query') {
      const spec: QuerySpec = vars.uuid !== undefined ? { ...parseQuery(new URLSearchParams()), conditions: [{ name: 'uuid', op: '=', value: vars.uuid }] } : parseQuery(search);
      return this.sync(() => answerApi(this, { api, params: {}, tags: {}, vars, query: spec, session: this.sessions.use(sessionUuid!) }));
    }
    const raw = record.method === 'GET' || record.method === 'DELETE' ? queryParams(search, api) : api.wrapper ? body[api.wrapper] : undefined;
    const params = { ...bind(raw, api.params), ...vars };
    const tags = record.method === 'GET' || record.method === 'DELETE' ? {} : bindTags(body);
    const headerJob = req.headers['x-job-uuid'];
    const jobHeader = Array.isArray(headerJob) ? headerJob[0] : headerJob;
    if (jobHeader !== undefined && jobHeader.length !== 32) throw new PlainFailure(400, "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
    const run = (): Record<string, unknown> => {
      const session = sessionUuid === undefined ? undefined : this.sessions.use(sessionUuid);
      validate(api.apiClass, params, api.params);
      return answerApi(this, { api, params, tags, vars, session });
    };
    if (api.mode === 'sync') return this.sync(run);

    const jobUuid = jobHeader ?? newUuid();
    record.jobUuid = jobUuid;
    const accepted: Answer = { status: 202, body: { location: `${this.internalBaseUrl}${API_PREFIX}/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
    if (this.jobs.has(jobUuid)) {
      if (this.duplicateJobUuid === 'sameJob') return accepted;
      throw new PlainFailure(400, `Duplicate job uuid[${jobUuid}]`);
    }
    const duration = fault?.kind === 'slowJob' ? (fault.delayMs ?? 1_000) : this.jobDurationMs;
    this.jobs.start(jobUuid, api.operation, sessionUuid, duration, () => jobResult(run));
    return accepted;
  }

  private sync(run: () => Record<string, unknown>): Answer {
    const result = jobResult(run);
    return { status: result.status, body: result.body };
  }

  /** GET api-jobs/{uuid}: the REST server answers it without looking at Authorization (the header is only recorded). */
  private poll(uuid: string, fault: Fault | undefined): Answer {
    const job = this.jobs.all.get(uuid);
    if (fault?.kind === 'jobExpired') this.jobs.expire(uuid);
    if (fault?.kind === 'sessionExpired') {
      if (job?.sessionUuid) this.sessions.expire(job.sessionUuid);
      return { status: 503, body: { error: sessionExpired().error } };
    }
    const state = this.jobs.query(uuid);
    if (state.state === 'expired') return { status: 404, text: 'the job has been expired' };
    if (state.state === 'running') return { status: 202, body: {} };
    return { status: state.result.status, body: state.result.body };
  }

  private finish(res: ServerResponse, record: RecordedRequest, fault: Fault | undefined, answer: Answer): void {
    if (fault?.kind === 'lost202') {
      record.status = 'destroyed';
      res.socket?.destroy();
      return;
    }
    record.status = answer.status;
    if (answer.text !== undefined) {
      res.writeHead(answer.status, { 'content-type': 'text/plain;charset=UTF-8', ...answer.headers });
      return void res.end(answer.text);
    }
    const body = answer.body ?? {};
    let text = this.blankEmptyBodies && Object.keys(body).length === 0 ? '' : JSON.stringify(body);
    if (fault?.kind === 'malformed') text = (text || '{}').slice(0, Math.ceil((text || '{}').length / 2));
    if (fault?.kind === 'wrongShape') text = JSON.stringify({ result: { status: 'OK' }, data: [body] });
    res.writeHead(answer.status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(text);
  }
}

function jobResult(run: () => Record<string, unknown>): JobResult {
  try {
    return { status: 200, body: run() };
  } catch (e) {
    if (e instanceof ApiFailure) return { status: 503, body: { error: e.error } };
    return { status: 503, body: { error: errorCode('SYS.1000', String((e as Error).message ?? e)) } };
  }
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new PlainFailure(500, 'com.google.gson.JsonSyntaxException: com.google.gson.stream.MalformedJsonException: Use JsonReader.setLenient(true) to accept malformed JSON at line 1 column 1 path $');
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new PlainFailure(500, 'com.google.gson.JsonSyntaxException: java.lang.IllegalStateException: Expected BEGIN_OBJECT but was ' + (Array.isArray(value) ? 'BEGIN_ARRAY' : 'STRING') + ' at line 1 column 2 path $');
  return value as Record<string, unknown>;
}

function parseLoose(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function queryRecord(search: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of new Set(search.keys())) out[key] = search.getAll(key);
  return out;
}

/** GET/DELETE parameters from the query string: known fields only, one value each (lists may repeat). */
function queryParams(search: URLSearchParams, api: ApiDef): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(search.keys())) {
    const spec = api.params[key];
    if (!spec) continue;
    const values = search.getAll(key);
    if (spec.type !== 'list' && values.length > 1) throw new PlainFailure(400, `Invalid query parameter[${key}], only one value is allowed for the parameter but multiple values found`);
    out[key] = spec.type === 'list' ? values : values[0];
  }
  return out;
}
