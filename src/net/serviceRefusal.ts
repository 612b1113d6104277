/** What a cloud service (or its gateway) said when it refused a call: its error code and message, with the request id. */
export class ServiceRefusal extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly code: string,
    readonly serviceMessage: string,
    readonly requestId: string | undefined,
    /** How long the service asked to wait before trying again (throttling), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(`${action}: HTTP ${status} ${code}: ${serviceMessage}`);
  }
}

/** An answer that could not be read (not JSON, or not the shape expected) although the call may have been carried out. */
export class UnreadableAnswer extends Error {
  constructor(
    readonly action: string,
    readonly status: number,
    readonly requestId: string | undefined,
  ) {
    super(`${action}: HTTP ${status} with an unreadable body`);
  }
}
