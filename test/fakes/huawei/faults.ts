/** Faults injected on demand, each for the next `times` matching requests. */

export type FaultKind =
  /** Answer after `delayMs`. */
  | 'delay'
  /** Destroy the socket before doing anything. */
  | 'reset'
  /** Do the work, then destroy the socket: a lost response. */
  | 'dropAfterCommit'
  /** 500 (OSM.0004), or 502/503/504 from the gateway (APIGW.0202/0203); nothing done. */
  | '5xx'
  /** 429 APIGW.0308; nothing done. */
  | 'throttle'
  /** The work is done, the answer is not valid JSON. */
  | 'malformed'
  /** The work is done, the answer is valid JSON of another shape. */
  | 'wrongShape'
  /** The clock-skew refusal (401 APIGW.0301) of the next AK/SK-signed request. */
  | 'skew'
  /** The next token-authenticated request's token expires: 401, and it stays expired. */
  | 'tokenExpired';

export const FAULT_KINDS: readonly FaultKind[] = ['delay', 'reset', 'dropAfterCommit', '5xx', 'throttle', 'malformed', 'wrongShape', 'skew', 'tokenExpired'];

export type Operation =
  | 'createCase'
  | 'listCases'
  | 'countCases'
  | 'showCase'
  | 'showCaseStatus'
  | 'action'
  | 'score'
  | 'updateContactInfo'
  | 'operateLogs'
  | 'listMessages'
  | 'unreadMessages'
  | 'markMessagesRead'
  | 'addMessage'
  | 'addRelations'
  | 'listRelations'
  | 'deleteRelation'
  | 'uploadAttachment'
  | 'uploadAttachmentJson'
  | 'attachmentLimits'
  | 'downloadAttachment'
  | 'deleteAttachment'
  | 'listCategories'
  | 'listProducts'
  | 'listProblemTypes'
  | 'listTemplates'
  | 'listRegions'
  | 'listSeverities'
  | 'listExtendsParams'
  | 'listSatisfactionDimensions'
  | 'configLimits'
  | 'iamToken'
  | 'iamDomains';

export interface Fault {
  kind: FaultKind;
  /** Only requests for this operation; any operation when absent. */
  operation?: Operation;
  /** How many matching requests it hits (default 1). */
  times?: number;
  delayMs?: number;
  /** For `throttle`: sent as Retry-After (whole seconds, rounded up) [inferred: the spec names no retry hint]. */
  retryAfterMs?: number;
  /** For `5xx`: 500, 502, 503 (default) or 504. */
  status?: 500 | 502 | 503 | 504;
}

export type AuthKind = 'aksk' | 'token' | 'password' | 'none';

export class Faults {
  private readonly queue: Array<Fault & { times: number }> = [];

  inject(fault: Fault): void {
    if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind ${fault.kind}`);
    this.queue.push({ ...fault, times: fault.times ?? 1 });
  }

  /** The first fault for this request, if any: `skew` only hits signed requests, `tokenExpired` only token ones. */
  take(operation: Operation, auth: AuthKind): Fault | undefined {
    const fault = this.queue.find((f) => (!f.operation || f.operation === operation) && (f.kind !== 'skew' || auth === 'aksk') && (f.kind !== 'tokenExpired' || auth === 'token'));
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.queue.splice(this.queue.indexOf(fault), 1);
    return fault;
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue.length = 0;
  }
}
