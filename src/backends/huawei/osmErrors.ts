import { DbTicketsError, type ErrorKind } from '../../core/errors';
import { ServiceRefusal, UnreadableAnswer } from '../../net/serviceRefusal';
import { TransportError } from '../../net/transportError';
import { certificateAdvice } from '../../net/dispatcher';

/** What the ticket service, its gateway or IAM said when it refused a call (any HTTP status, 200 included). */
export class OsmRefusal extends ServiceRefusal {
  override readonly name = 'OsmRefusal';
}

/** A 2xx answer that is not the JSON expected: the call may have been carried out. */
export class OsmUnreadable extends UnreadableAnswer {
  override readonly name = 'OsmUnreadable';
}

type Body = Record<string, unknown>;
const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined);

/**
 * The error code and message of a body, in any of the shapes the SDKs accept: error_code/error_msg, errorCode/errorMsg,
 * code/message, or one of them one level down (IAM's {"error": {...}}). Undefined when the body names no error.
 */
export function errorOf(body: unknown): { code: string; message: string } | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const read = (b: Body) => {
    const code = text(b.error_code) ?? text(b.errorCode) ?? text(b.code);
    const message = text(b.error_msg) ?? text(b.errorMsg) ?? text(b.message) ?? text(b.title) ?? '';
    return code !== undefined && code !== '' ? { code, message } : undefined;
  };
  const top = read(body as Body);
  if (top) return top;
  for (const value of Object.values(body as Body)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const nested = read(value as Body);
      if (nested) return nested;
    }
  }
  return undefined;
}

export interface ErrorContext {
  /** What was being done, e.g. `creating case "Export customers"`. */
  action: string;
  profile: string;
  endpoint: string;
  /** Where the credentials came from, e.g. "HUAWEICLOUD_SDK_AK" (never the secret). */
  credentialSource?: string;
}

interface Rule {
  test: (code: string, message: string, status: number) => boolean;
  kind: ErrorKind;
  advice: (c: ErrorContext) => string;
}

const isSkew = (message: string) => /x-sdk-date|server time|time ?stamp|clock|expired.*date/i.test(message) && !/token/i.test(message);

const rules: Rule[] = [
  { test: (code, message) => code === 'APIGW.0301' && isSkew(message), kind: 'config', advice: () => "this computer's clock is more than 15 minutes off the service's time: correct the clock (turn on automatic time), then run the command again." },
  { test: (code, message) => code === 'APIGW.0301' && /ak not exist|secretKey failed|access ?key/i.test(message), kind: 'auth', advice: (c) => `the access key ID (from ${c.credentialSource ?? 'the credentials'}) is unknown or disabled: check it under My Credentials > Access Keys and store a valid one for profile "${c.profile}".` },
  { test: (code, message) => code === 'APIGW.0301' && /security token/i.test(message), kind: 'auth', advice: (c) => `the temporary security token (from ${c.credentialSource ?? 'the credentials'}) is invalid or expired: get a new temporary access key with its token.` },
  { test: (code, message) => code === 'APIGW.0301' && /signature/i.test(message), kind: 'auth', advice: (c) => `the secret access key (from ${c.credentialSource ?? 'the credentials'}) does not match the access key ID: store the secret of profile "${c.profile}" again.` },
  { test: (code, message) => (code === 'APIGW.0301' && /token/i.test(message)) || code === 'OSM.0002', kind: 'auth', advice: (c) => `the IAM token was not accepted even after logging in again: check "userName" and "domainName" in profile "${c.profile}" and the IAM user's password.` },
  { test: (code) => code === 'APIGW.0301' || code === 'APIGW.0302' || code === 'APIGW.0303', kind: 'auth', advice: (c) => `the credentials of profile "${c.profile}" were not accepted: check the access key or the IAM user.` },
  { test: (code, _m, status) => code === 'APIGW.0308' || status === 429, kind: 'throttled', advice: () => 'the ticket service is limiting the request rate of your account: wait a minute, then run the command again.' },
  { test: (code) => code === 'APIGW.0101', kind: 'config', advice: (c) => `${c.endpoint} does not serve the ticket service API v2: check "site" and "endpoint" in profile "${c.profile}".` },
  { test: (code) => code === 'APIGW.0202' || code === 'APIGW.0203' || code === 'OSM.0004' || code === 'OSM.01010014', kind: 'unavailable', advice: () => 'the ticket service had a problem on its side: wait a few minutes, then look at the case before doing anything again.' },
  { test: (code) => code === 'OSM.0003' || code === 'OSM.01010002' || code === 'OSM.01010007', kind: 'auth', advice: () => 'your identity may not do this: ask the account administrator for the IAM policy "Ticket Administrator" (or "Ticket Group Operator" to act on colleagues\' cases).' },
  { test: (code) => code === 'OSM.01010003' || code === 'OSM.01010011', kind: 'auth', advice: (c) => `the service could not tell who you are from the credentials: check the credentials of profile "${c.profile}".` },
  { test: (code) => code === 'OSM.01010004', kind: 'conflict', advice: () => 'the case was urged a short while ago: wait before urging it again (about an hour).' },
  { test: (code) => code === 'OSM.01010005', kind: 'conflict', advice: () => 'the attachments uploaded today exceed the daily limit: shorten the SQL below the description limit, or submit tomorrow.' },
  { test: (code) => code === 'OSM.01010006', kind: 'config', advice: (c) => `the severity does not exist for this problem type: correct or remove "severityId" in profile "${c.profile}".` },
  { test: (code) => code === 'OSM.01010009', kind: 'config', advice: (c) => `your support plan does not cover this problem type: pick another "businessTypeId" in profile "${c.profile}" (db-tickets check lists them), or upgrade the support plan.` },
  { test: (code) => code === 'OSM.01010008' || code === 'OSM.01010010', kind: 'config', advice: (c) => `the notification contact was refused: correct "remindMail" / "remindMobile" in profile "${c.profile}" (a contact other than the account's must be verified in the console first), or remove them.` },
  { test: (code) => code === 'OSM.01010015', kind: 'not_found', advice: () => 'no such case in this account: check the id with db-tickets list.' },
  { test: (code) => code === 'OSM.01010017' || code === 'OSM.01010013', kind: 'conflict', advice: () => 'the case is not in a state that allows this: show it to see its status.' },
  { test: (code) => code === 'OSM.01010001' || code === 'OSM.0001', kind: 'usage', advice: (c) => `the service refused a value: check the case fields and "productCategoryId", "businessTypeId", "regionId" in profile "${c.profile}" (db-tickets check lists the choices).` },
  { test: (code, _m, status) => status === 401 && /^\d+$/.test(code), kind: 'auth', advice: (c) => `IAM did not accept the login: check "userName" and "domainName" in profile "${c.profile}" and the password (stored for the profile, or HUAWEICLOUD_SDK_PASSWORD).` },
  { test: (_c, _m, status) => status >= 500, kind: 'unavailable', advice: () => 'the ticket service had a problem on its side: wait a few minutes, then look at the case before doing anything again.' },
];

/** A refusal as a message: what was refused, the service's code and text, what to do, and the X-Request-Id. */
export function refusalError(refusal: OsmRefusal, context: ErrorContext): DbTicketsError {
  const rule = rules.find((r) => r.test(refusal.code, refusal.serviceMessage, refusal.status));
  const said = refusal.serviceMessage ? `${refusal.code}: ${shorten(refusal.serviceMessage)}` : refusal.code;
  const why = rule ? rule.advice(context) : 'check the message and the case.';
  return new DbTicketsError(rule?.kind ?? 'failed', `Huawei Cloud refused ${context.action} (${said}): ${why}${requestIdNote(refusal.requestId)}`, { requestId: refusal.requestId, cause: refusal });
}

export function unreadableError(unreadable: OsmUnreadable, context: ErrorContext, write: boolean): DbTicketsError {
  const maybe = write ? ' It may have been carried out: show the case before doing it again.' : ' A proxy may be answering instead of the ticket service.';
  return new DbTicketsError('unavailable', `The ticket service (${context.endpoint}) answered ${context.action} with HTTP ${unreadable.status} and a body that is not its JSON.${maybe}${requestIdNote(unreadable.requestId)}`, {
    requestId: unreadable.requestId,
    cause: unreadable,
  });
}

export function transportFailure(error: TransportError, context: ErrorContext, write: boolean): DbTicketsError {
  const maybe = write && error.sent ? ' It may have been carried out: show the case before doing it again.' : '';
  switch (error.failure) {
    case 'cancelled':
      return new DbTicketsError('cancelled', `${capital(context.action)} was cancelled.${maybe}`, { cause: error });
    case 'connect':
      return new DbTicketsError('unavailable', `Could not reach the ticket service at ${context.endpoint} (${error.message}): check the network, the proxy settings (HTTPS_PROXY, NO_PROXY) and "site" / "endpoint" in profile "${context.profile}".`, { cause: error });
    case 'tls':
      return new DbTicketsError('unavailable', `The secure connection to ${context.endpoint} failed: ${error.message}. ${certificateAdvice}`, { cause: error });
    case 'timeout':
      return new DbTicketsError('unavailable', `The ticket service (${context.endpoint}) did not answer ${context.action} in time: check the network.${maybe || ' Run the command again later.'}`, { cause: error });
    default:
      return new DbTicketsError('unavailable', `The connection to the ticket service (${context.endpoint}) broke during ${context.action}: ${error.message}.${maybe || ' Run the command again.'}`, { cause: error });
  }
}

/** Any failure of a call as a DbTicketsError. */
export function toDbTicketsError(error: unknown, context: ErrorContext, write: boolean): unknown {
  if (error instanceof DbTicketsError) return error;
  if (error instanceof OsmRefusal) return refusalError(error, context);
  if (error instanceof OsmUnreadable) return unreadableError(error, context, write);
  if (error instanceof TransportError) return transportFailure(error, context, write);
  return error;
}

/** Whether a failed write may still have been carried out: no clear answer came back after it was sent. */
export function mayHaveHappened(error: unknown): boolean {
  const cause = error instanceof DbTicketsError ? error.cause : error;
  if (cause instanceof TransportError) return cause.sent && cause.failure !== 'cancelled';
  if (cause instanceof OsmUnreadable) return true;
  // The gateway refuses throttled and unauthenticated calls before they reach the service; a 5xx may come after.
  if (cause instanceof OsmRefusal) return cause.status >= 500;
  return false;
}

export function requestIdNote(requestId: string | undefined): string {
  return requestId ? ` (X-Request-Id ${requestId})` : '';
}

function shorten(message: string): string {
  const one = message.replace(/\s+/g, ' ').trim();
  return one.length > 300 ? `${one.slice(0, 297)}…` : one;
}

function capital(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
