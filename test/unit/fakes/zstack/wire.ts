import { request } from 'node:http';
import type { FakeZStack } from '../../../fakes/zstack/harness';
import { sha512Hex, VM_CREATE_API, WORLD } from '../../../fakes/zstack/harness';

/** Raw HTTP to the fake, built from the wire contract (no client code exists to share a mistake with). */

export interface Reply {
  status: number;
  text: string;
  contentType: string;
  retryAfter?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface SendOptions {
  body?: unknown;
  rawBody?: string;
  session?: string;
  /** The Authorization header as is (wins over `session`). */
  authorization?: string;
  jobUuid?: string;
  headers?: Record<string, string>;
}

export function send(fake: FakeZStack, method: string, path: string, options: SendOptions = {}): Promise<Reply> {
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
  const authorization = options.authorization ?? (options.session ? `OAuth ${options.session}` : undefined);
  if (authorization !== undefined) headers.authorization = authorization;
  if (options.jobUuid) headers['x-job-uuid'] = options.jobUuid;
  const target = new URL(path.startsWith('/zstack/') ? path : `/zstack/v1${path}`, fake.url);
  return new Promise((resolve, reject) => {
    const req = request(target, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, contentType: String(res.headers['content-type'] ?? ''), retryAfter: res.headers['retry-after'], json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const hex32 = () => [...Array(32)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');

export async function loginVirtualId(fake: FakeZStack, name: string, password: string): Promise<string> {
  const reply = await send(fake, 'PUT', '/iam2/virtual-ids/login', { body: { loginIAM2VirtualID: { name, password: sha512Hex(password) } } });
  if (reply.status !== 200) throw new Error(`login ${name}: ${reply.status} ${reply.text}`);
  return reply.json.inventory.uuid;
}

export async function loginAccount(fake: FakeZStack, accountName: string, password: string): Promise<string> {
  const reply = await send(fake, 'PUT', '/accounts/login', { body: { logInByAccount: { accountName, password: sha512Hex(password) } } });
  if (reply.status !== 200) throw new Error(`login ${accountName}: ${reply.status} ${reply.text}`);
  return reply.json.inventory.uuid;
}

export const asSubmitter = (fake: FakeZStack) => loginVirtualId(fake, WORLD.submitter.name, WORLD.submitter.password);
export const asLead = (fake: FakeZStack) => loginVirtualId(fake, WORLD.lead.name, WORLD.lead.password);
export const asDba = (fake: FakeZStack) => loginVirtualId(fake, WORLD.dba.name, WORLD.dba.password);

/** The job uuid in a location, polled on the fake's own address (the location's host is internal). */
export function jobPath(location: string): string {
  const uuid = location.split('/zstack/v1/api-jobs/')[1];
  if (!uuid) throw new Error(`not a job location: ${location}`);
  return `/api-jobs/${uuid}`;
}

/** Polls a job until it is no longer running. */
export async function awaitJob(fake: FakeZStack, location: string, session?: string, intervalMs = 5): Promise<Reply> {
  for (let i = 0; i < 2_000; i++) {
    const reply = await send(fake, 'GET', jobPath(location), { session });
    if (reply.status !== 202) return reply;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error('job still running');
}

/** An async write: 202 with a location, then the job's final answer. */
export async function write(fake: FakeZStack, method: string, path: string, options: SendOptions): Promise<Reply> {
  const accepted = await send(fake, method, path, options);
  if (accepted.status !== 202) throw new Error(`${method} ${path}: expected 202, got ${accepted.status} ${accepted.text}`);
  return awaitJob(fake, accepted.json.location, options.session);
}

export function ticketParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'add index on orders',
    description: 'CREATE INDEX idx_orders_created ON orders(created_at);',
    requests: [{ requestName: 'create vm', apiName: VM_CREATE_API, executeTimes: 1, apiBody: { name: 'vm1', instanceOfferingUuid: '46466abc6c8931fdaab7a8df43e4f175', imageUuid: '43e997234af63863b28a5e9987e1d122' } }],
    accountSystemType: 'iam2',
    accountSystemContext: { projectUuid: WORLD.project.uuid, virtualIDUuid: WORLD.submitter.uuid },
    ...overrides,
  };
}

/** Creates a ticket as the submitter; the job's final reply. */
export function createTicket(fake: FakeZStack, session: string, overrides: Record<string, unknown> = {}, jobUuid?: string): Promise<Reply> {
  return write(fake, 'POST', '/tickets', { session, jobUuid, body: { params: ticketParams(overrides), systemTags: [], userTags: [] } });
}

export function changeStatus(fake: FakeZStack, session: string, uuid: string, statusEvent: string, comment?: string): Promise<Reply> {
  return write(fake, 'PUT', `/tickets/${uuid}/actions`, { session, body: { changeTicketStatus: { statusEvent, ...(comment === undefined ? {} : { comment }) } } });
}
