/** Faults injected on demand, each hitting the next `times` requests of its operation. */

export type FaultKind =
  /** The request is processed (an async write's job runs) but the socket is destroyed instead of the answer. */
  | 'lost202'
  /** The socket is destroyed before anything is done. */
  | 'reset'
  /** The write's job stays running for delayMs. */
  | 'slowJob'
  /** The call fails with ID.1001 and its session is dead from then on (for a poll: that poll answers 503 ID.1001). */
  | 'sessionExpired'
  /** A proxy's plain-text 502 (or `status`), nothing done. */
  | 'plain5xx'
  /** The request is processed, the answer's body is cut short (invalid JSON). */
  | 'malformed'
  /** The request is processed, the answer is valid JSON of another shape (a proxy's or another service's). */
  | 'wrongShape'
  /** A rate-limiting proxy's 429 with Retry-After (whole seconds of retryAfterMs, rounded up), nothing done. */
  | 'throttle'
  /** The job's result is gone: polling it answers 404 from now on. */
  | 'jobExpired'
  /** The answer waits delayMs, then the request is processed normally. */
  | 'delay';

/** API names as the service names them, plus `pollJob` for GET api-jobs/{uuid}. */
export type Operation =
  | 'LogInByAccount'
  | 'LogInByUser'
  | 'LoginIAM2VirtualID'
  | 'LoginIAM2Project'
  | 'ValidateSession'
  | 'RenewSession'
  | 'LogOut'
  | 'QueryIAM2Project'
  | 'QueryIAM2VirtualID'
  | 'CreateTicket'
  | 'QueryTicket'
  | 'QueryTicketHistory'
  | 'ChangeTicketStatus'
  | 'UpdateTicketRequest'
  | 'DeleteTicket'
  | 'QueryTicketType'
  | 'QueryTicketFlowCollection'
  | 'QueryTicketFlow'
  | 'pollJob';

/** Other spellings accepted in faults. */
const aliases: Record<string, Operation> = { LogInByIAM2VirtualID: 'LoginIAM2VirtualID', LoginByIAM2VirtualID: 'LoginIAM2VirtualID', LogInIAM2VirtualID: 'LoginIAM2VirtualID' };

export interface Fault {
  kind: FaultKind;
  /** Only this operation (every request when absent). For jobExpired, also the operation that started the job. */
  operation?: Operation | keyof typeof aliases;
  /** How many requests it hits (default 1). */
  times?: number;
  delayMs?: number;
  /** plain5xx: the status (502 by default). */
  status?: number;
  /** throttle: the wait asked for (1 s by default). */
  retryAfterMs?: number;
}

export class Faults {
  private readonly pending: Array<Fault & { times: number }> = [];

  inject(fault: Fault): void {
    this.pending.push({ ...fault, times: fault.times ?? 1 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /**
   * Takes the first fault that fits this request. jobExpired only hits polls (named by `pollJob` or by the operation
   * that started the job), slowJob only async writes; the other kinds hit any request of their operation.
   */
  take(operation: Operation, request: { asyncWrite: boolean; jobOperation?: string }): Fault | undefined {
    const fits = (f: Fault) => {
      const wanted = f.operation && (aliases[f.operation] ?? f.operation);
      if (f.kind === 'jobExpired') return operation === 'pollJob' && (!wanted || wanted === 'pollJob' || wanted === request.jobOperation);
      if (f.kind === 'slowJob' && !request.asyncWrite) return false;
      return !wanted || wanted === operation;
    };
    const fault = this.pending.find(fits);
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.pending.splice(this.pending.indexOf(fault), 1);
    return fault;
  }
}
