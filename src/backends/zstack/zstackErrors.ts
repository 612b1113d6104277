import { DbTicketsError, type ErrorKind } from '../../core/errors';
import { TransportError } from '../../net/transportError';
import { certificateAdvice } from '../../net/dispatcher';

/** ZStack's ErrorCode, as `{"error": …}` carries it. */
export interface ZStackErrorCode {
  code?: string;
  description?: string;
  details?: string;
  cause?: ZStackErrorCode;
  causes?: ZStackErrorCode[];
}

/** An API failure: `{"error": ErrorCode}` from a sync call or a finished job. The API did not do its work. */
export class ZStackApiError extends Error {
  constructor(
    readonly operation: string,
    readonly error: ZStackErrorCode,
    readonly jobUuid?: string,
  ) {
    super(`${operation}: ${describeError(error)}`);
    this.name = 'ZStackApiError';
  }

  get code(): string {
    return this.error.code ?? '';
  }

  /** The root cause's text (walking `cause`), or the top one's. */
  get text(): string {
    return describeError(this.error);
  }
}

/** A transport-level answer: plain text with a 4xx/5xx status (or a body that is not JSON). */
export class ZStackPlainError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number,
    readonly text: string,
  ) {
    super(`${operation}: HTTP ${status} ${text.slice(0, 200)}`);
    this.name = 'ZStackPlainError';
  }
}

/** The deepest cause of an ErrorCode, with its code, description and details. */
export function rootOf(error: ZStackErrorCode): ZStackErrorCode {
  let e = error;
  for (let depth = 0; depth < 10; depth++) {
    const next = e.cause ?? e.causes?.[0];
    if (!next || typeof next !== 'object') break;
    e = next;
  }
  return e;
}

export function describeError(error: ZStackErrorCode): string {
  const root = rootOf(error);
  const code = root.code ?? error.code ?? 'error';
  const text = [root.description, root.details].filter((s) => typeof s === 'string' && s.trim() !== '').join(': ');
  const top = root !== error && error.code && error.code !== code ? ` (via ${error.code})` : '';
  return `${code} ${text || error.details || error.description || ''}`.trim() + top;
}

export const isSessionExpired = (error: unknown): boolean => error instanceof ZStackApiError && (error.code === 'ID.1001' || rootOf(error.error).code === 'ID.1001');

export interface ErrorContext {
  /** What was being done, e.g. "CreateTicket" or "approving ticket #x". */
  action: string;
  profile: string;
  endpoint: string;
}

interface Rule {
  test: (code: string, text: string) => boolean;
  kind: ErrorKind;
  advice: (c: ErrorContext) => string;
}

const rules: Rule[] = [
  { test: (code) => code === 'ID.1000', kind: 'auth', advice: (c) => `the name or password was not accepted: check "username" (and "accountName") and "loginAs" in profile "${c.profile}", and the password (stored for the profile, or ZSTACK_PASSWORD for the CLI).` },
  { test: (code) => code === 'ID.1001', kind: 'auth', advice: () => 'the session expired again right after logging in: try again; if it persists, ask the ZStack administrator about session limits.' },
  { test: (code) => code === 'ID.1002', kind: 'auth', advice: () => 'your identity is not allowed to do this: ask the ZStack administrator for the permission.' },
  { test: (code) => code === 'ID.1005', kind: 'auth', advice: () => 'the password must be changed first: log in to the ZStack console, change it, and update the stored password.' },
  { test: (code) => code === 'ID.1006', kind: 'throttled', advice: () => 'too many sessions are open for this identity: log out elsewhere or wait for sessions to expire.' },
  { test: (code) => code.startsWith('ID.200'), kind: 'auth', advice: () => 'the identity needs a second factor, which DB Tickets cannot give: use an identity without two-factor login.' },
  { test: (_c, text) => /not the owner of the ticket/.test(text), kind: 'conflict', advice: () => 'only the submitter may cancel or reopen it.' },
  { test: (_c, text) => /operator needs to be done by/.test(text), kind: 'conflict', advice: () => 'the ticket is waiting on someone else: only the approver of its current step may approve or reject it.' },
  { test: (_c, text) => /operation denied\. the ticket is in status of/.test(text), kind: 'conflict', advice: () => 'the ticket is not in a state that allows this: show it to see its status.' },
  { test: (_c, text) => /no matched ticket flow collection|flow collection\[uuid:[^\]]*\] (is invalid|is disable|not matches|it not belong)|not belong the project/.test(text), kind: 'config', advice: (c) => `the approval flow does not fit: set "flowCollectionUuid" in profile "${c.profile}" to a valid, enabled flow collection of the project that covers the request's ticket type (db-tickets check lists them), or ask the administrator for a default one.` },
  { test: (_c, text) => /not matched ticket type found|no API\[[^\]]*\] found|cannot create API/.test(text), kind: 'config', advice: (c) => `the request template does not match a ticket type of this server: correct "request.apiName" / "request.apiBody" in profile "${c.profile}" (db-tickets check lists the ticket types).` },
  { test: (_c, text) => /not belong to project|no accountSystemType/.test(text), kind: 'config', advice: (c) => `the virtual ID is not a member of the project: correct "project" in profile "${c.profile}", or ask the administrator to add you.` },
  { test: (code) => code === 'SYS.1003', kind: 'not_found', advice: () => 'no such resource: check the ticket id in db-tickets list.' },
  { test: (code) => code === 'SYS.1007', kind: 'usage', advice: () => 'the service refused a value: check the ticket fields and the profile\'s request template.' },
  { test: (code) => code === 'SYS.1001' || code === 'SYS.1010' || code === 'SYS.1012', kind: 'unavailable', advice: () => 'the management node is busy or not ready: try again in a few minutes.' },
];

/** An API failure as a message: what, the service's code and text (root cause), and what to do. */
export function apiFailure(error: ZStackApiError, context: ErrorContext): DbTicketsError {
  const root = rootOf(error.error);
  const code = root.code ?? error.code;
  const text = `${root.description ?? ''} ${root.details ?? ''} ${error.error.details ?? ''}`;
  const rule = rules.find((r) => r.test(code, text)) ?? rules.find((r) => r.test(error.code, text));
  const why = rule ? rule.advice(context) : 'check the message, then try again.';
  return new DbTicketsError(rule?.kind ?? 'failed', `ZStack refused ${context.action} (${error.text}): ${why}${jobNote(error.jobUuid)}`, { requestId: error.jobUuid, cause: error });
}

export function plainFailure(error: ZStackPlainError, context: ErrorContext): DbTicketsError {
  const said = error.text.trim() ? `: ${error.text.trim().slice(0, 300)}` : '';
  if (error.status === 404 && /no api mapping/i.test(error.text)) {
    return new DbTicketsError('config', `The server at ${context.endpoint} has no ZStack API for ${context.action} (HTTP 404${said}): check "endpoint" in profile "${context.profile}" (scheme, host, port and context path, e.g. http://zstack.example.com:8080).`, { cause: error });
  }
  if (error.status === 429) {
    return new DbTicketsError('throttled', `ZStack (${context.endpoint}) or a proxy in front of it is limiting the request rate and refused ${context.action} (HTTP 429), which was not carried out: wait a minute and try again.`, { cause: error });
  }
  if (error.status >= 500) {
    return new DbTicketsError('unavailable', `ZStack (${context.endpoint}) answered ${context.action} with HTTP ${error.status}${said}. The management node or a proxy in front of it failed: try again in a few minutes.`, { cause: error });
  }
  if (error.status >= 200 && error.status < 300) {
    return new DbTicketsError('unavailable', `ZStack (${context.endpoint}) answered ${context.action} with a body that is not JSON: a proxy may be answering instead of the management node; check "endpoint" in profile "${context.profile}".`, { cause: error });
  }
  return new DbTicketsError('usage', `ZStack refused ${context.action} with HTTP ${error.status}${said}. This looks like a fault in DB Tickets' request or the server's version: report it with this message.`, { cause: error });
}

export function transportFailure(error: TransportError, context: ErrorContext): DbTicketsError {
  switch (error.failure) {
    case 'cancelled':
      return new DbTicketsError('cancelled', `${capital(context.action)} was cancelled.`, { cause: error });
    case 'connect':
      return new DbTicketsError('unavailable', `Could not reach ZStack at ${context.endpoint} (${error.message}): check "endpoint" in profile "${context.profile}", the network and the proxy settings (HTTP_PROXY, NO_PROXY).`, { cause: error });
    case 'tls':
      return new DbTicketsError('unavailable', `The secure connection to ${context.endpoint} failed: ${error.message}. ${certificateAdvice}`, { cause: error });
    case 'timeout':
      return new DbTicketsError('unavailable', `ZStack (${context.endpoint}) did not answer ${context.action} in time: check the network, then try again.`, { cause: error });
    default:
      return new DbTicketsError('unavailable', `The connection to ZStack (${context.endpoint}) broke during ${context.action}: ${error.message}. Try again.`, { cause: error });
  }
}

/** Any failure of a call as a DbTicketsError. */
export function toDbTicketsError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof DbTicketsError) return error;
  if (error instanceof ZStackApiError) return apiFailure(error, context);
  if (error instanceof ZStackPlainError) return plainFailure(error, context);
  if (error instanceof TransportError) return transportFailure(error, context);
  return error;
}

function jobNote(jobUuid: string | undefined): string {
  return jobUuid ? ` (job ${jobUuid})` : '';
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
