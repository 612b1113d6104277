import { DbTicketsError, type ErrorKind } from '../../core/errors';
import { redact } from '../../net/redact';
import { ServiceRefusal, UnreadableAnswer } from '../../net/serviceRefusal';
import { TransportError } from '../../net/transportError';
import { certificateAdvice } from '../../net/dispatcher';

/** What DMS said when it refused a call: from a gateway error body or a `Success:false` envelope (retry-after: x-acs-retry-after). */
export class DmsRefusal extends ServiceRefusal {
  override readonly name = 'DmsRefusal';
}

/** A DMS response that could not be read although the call may have worked. */
export class DmsUnreadableResponse extends UnreadableAnswer {
  override readonly name = 'DmsUnreadableResponse';
}

/** How the calling side knew the credentials, for messages (never the secret itself). */
export interface CallContext {
  action: string;
  profile: string;
  credentialSource?: string;
}

interface Rule {
  test: (code: string, status: number, action: string) => boolean;
  kind: ErrorKind;
  advice: (c: CallContext) => string;
}

const is = (...codes: string[]) => (code: string) => codes.some((c) => code.toLowerCase() === c.toLowerCase());
const startsWith = (...prefixes: string[]) => (code: string) => prefixes.some((p) => code.toLowerCase().startsWith(p.toLowerCase()));

const rules: Rule[] = [
  { test: startsWith('InvalidAccessKeyId'), kind: 'auth', advice: (c) => `the AccessKey ID (from ${c.credentialSource ?? 'the credentials'}) is unknown or disabled: check it in the RAM console and enter a valid one for profile "${c.profile}".` },
  { test: is('SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSignatureMethod'), kind: 'auth', advice: (c) => `the AccessKey secret (from ${c.credentialSource ?? 'the credentials'}) does not match its AccessKey ID: enter the secret of profile "${c.profile}" again.` },
  { test: startsWith('InvalidSecurityToken'), kind: 'auth', advice: (c) => `the STS security token (from ${c.credentialSource ?? 'the credentials'}) is invalid or expired: get a new token and AccessKey pair.` },
  { test: startsWith('InvalidTimeStamp'), kind: 'config', advice: () => "the request's time is more than 15 minutes off the server's: correct this computer's clock (turn on automatic time) and try again." },
  { test: is('SignatureNonceUsed'), kind: 'unavailable', advice: () => 'the request was taken for a replay: try again.' },
  { test: startsWith('Throttling'), kind: 'throttled', advice: () => 'DMS is limiting the request rate of your account: wait a minute and try again.' },
  // NoPermission is DMS's own refusal (a RAM refusal is Forbidden.RAM): for a ticket action it is about the ticket.
  { test: (code, _s, action) => is('NoPermission')(code) && action === 'ApproveOrder', kind: 'auth', advice: () => 'you are not an approver of the current step of this ticket: only its current approvers (see its approval chain) can approve, reject or transfer it; a DMS administrator can transfer it to you.' },
  { test: (code, _s, action) => is('NoPermission')(code) && action === 'CloseOrder', kind: 'auth', advice: () => 'only the ticket\'s submitter or a DMS administrator can close it.' },
  { test: (code, _s, action) => is('NoPermission')(code) && action.startsWith('Execute'), kind: 'auth', advice: () => 'only the ticket\'s submitter can execute it (or whoever its execution mode names): ask them to run it.' },
  { test: (code) => startsWith('Forbidden')(code) || is('NoPermission')(code), kind: 'auth', advice: (c) => `you are not allowed to call ${c.action}: ask your administrator for the RAM permission dms:${c.action} and a DMS role that may do this.` },
  { test: is('InvalidTid', 'TenantNotExist'), kind: 'config', advice: (c) => `the DMS tenant is not valid for this account: correct or remove "tid" in profile "${c.profile}" (db-tickets check lists your tenants).` },
  {
    test: (code, _s, action) => is('UserNotExist')(code) && (action.startsWith('Create') || action === 'ApproveOrder'),
    kind: 'not_found',
    advice: () => 'a user the ticket names (a stakeholder, or the new approver) is not a DMS user of this tenant: give their DMS user id — not their Alibaba Cloud UID — as the user search lists it.',
  },
  { test: is('UserNotExist'), kind: 'auth', advice: () => 'this Alibaba Cloud identity is not a user in the DMS tenant: ask the DMS administrator to add you.' },
  { test: (code) => startsWith('InvalidApi', 'InvalidAction')(code) || is('NoSuchVersion')(code), kind: 'config', advice: (c) => `the endpoint of profile "${c.profile}" does not serve the DMS API 2018-11-01: check "endpoint" and "region".` },
  { test: (code) => is('InvalidOrderId', 'OrderNotExist', 'OrderNotFound')(code), kind: 'not_found', advice: () => 'no such ticket in this tenant: check the id in the ticket list.' },
  { test: is('InvalidDbId'), kind: 'not_found', advice: () => 'DMS has no database with that id for you — or it is a physical database marked logical, or the reverse: check the id (or give the database by name) and the logical flag (--logical, "logic").' },
  { test: (code) => startsWith('Missing', 'InvalidParameter')(code), kind: 'usage', advice: () => 'the request lacks a value or has a wrong one: check the ticket fields, or report it if they look right.' },
  { test: (code, status) => is('InternalError', 'ServiceUnavailable', 'UnknownServerError')(code) || status >= 500, kind: 'unavailable', advice: () => 'DMS had a problem on its side: try again in a few minutes.' },
];

/** A DMS refusal as a message that says what, why and what to do, with the request id. */
export function refusalError(refusal: DmsRefusal, context: CallContext): DbTicketsError {
  const rule = rules.find((r) => r.test(refusal.code, refusal.status, refusal.action));
  const said = refusal.serviceMessage ? ` (${refusal.code}: ${refusal.serviceMessage})` : ` (${refusal.code})`;
  const why = rule ? rule.advice(context) : 'check the message and the ticket, then try again.';
  return new DbTicketsError(rule?.kind ?? 'failed', `DMS refused ${refusal.action}${said}: ${why}${requestIdNote(refusal.requestId)}`, { requestId: refusal.requestId, cause: refusal });
}

export function transportFailure(error: TransportError, context: CallContext, endpoint: string, ambiguous: boolean): DbTicketsError {
  const maybeDone = ambiguous ? ' The request may have reached DMS: check the ticket list before trying again.' : '';
  switch (error.failure) {
    case 'cancelled':
      return new DbTicketsError('cancelled', `${context.action} was cancelled.${maybeDone}`, { cause: error });
    case 'timeout':
      return new DbTicketsError('unavailable', `DMS did not answer ${context.action} in time (${endpoint}): check your network or proxy, or raise "timeoutMs" in profile "${context.profile}".${maybeDone}`, { cause: error });
    case 'connect':
      return new DbTicketsError('unavailable', `Could not reach DMS at ${endpoint} (${error.message}): check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and the profile's region or endpoint.`, { cause: error });
    case 'tls':
      return new DbTicketsError('unavailable', `The secure connection to ${endpoint} failed: ${error.message}. ${certificateAdvice}`, { cause: error });
    default:
      return new DbTicketsError('unavailable', `The connection to DMS (${endpoint}) broke during ${context.action}: ${error.message}. Try again.${maybeDone}`, { cause: error });
  }
}

export function unreadableError(unreadable: DmsUnreadableResponse, context: CallContext, ambiguous: boolean): DbTicketsError {
  const maybeDone = ambiguous ? ' The request may have been carried out: check the ticket list before trying again.' : ' Try again; if it persists, a proxy may be answering instead of DMS.';
  return new DbTicketsError('unavailable', `DMS answered ${context.action} with HTTP ${unreadable.status} and a body that is not a DMS response.${maybeDone}${requestIdNote(unreadable.requestId)}`, {
    requestId: unreadable.requestId,
    cause: unreadable,
  });
}

/**
 * The service's own message, kept short and cleaned of `secrets` before it goes into an error or a log: a signature
 * mismatch echoes the server's string to sign, which holds the STS token of a V1 request.
 */
export function cleanServiceMessage(message: string, secrets: ReadonlyArray<string | undefined>): string {
  const forms = secrets.flatMap((secret) => (secret ? [secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret))] : []));
  const short = message.replace(/\s*server string to sign is:.*$/is, '').trim();
  return redact(short.length > 300 ? `${short.slice(0, 297)}…` : short, forms);
}

function requestIdNote(requestId: string | undefined): string {
  return requestId ? ` (RequestId ${requestId})` : '';
}

/** Whether a failed call may still have been carried out by DMS: no clear answer came back after it was sent. */
export function mayHaveHappened(error: unknown): boolean {
  const cause = error instanceof DbTicketsError ? error.cause : error;
  if (cause instanceof TransportError) return cause.sent && cause.failure !== 'cancelled';
  if (cause instanceof DmsUnreadableResponse) return cause.status < 400 || cause.status >= 500;
  if (cause instanceof DmsRefusal) return cause.status >= 500 && !startsWith('Throttling')(cause.code);
  return false;
}
