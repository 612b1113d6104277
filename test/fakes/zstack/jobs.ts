/**
 * The async API store: every async write becomes a job, run after its duration; polling answers "running", the
 * result, or "expired" once the result has been kept for the configured time (rest.completedApi.expiredPeriod).
 */

export interface JobResult {
  status: 200 | 503;
  body: Record<string, unknown>;
}

export interface Job {
  uuid: string;
  operation: string;
  sessionUuid?: string;
  acceptedAt: number;
  result?: JobResult;
  doneAt?: number;
  /** Forced expiry (a fault): the result is gone whatever the clock says. */
  gone: boolean;
}

export type JobState = { state: 'expired' } | { state: 'running'; job: Job } | { state: 'done'; job: Job; result: JobResult };

export class Jobs {
  readonly all = new Map<string, Job>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly now: () => number,
    private readonly resultTtlMs: () => number,
  ) {}

  has(uuid: string): boolean {
    return this.all.has(uuid);
  }

  /** Accepts a job; `run` does the work and gives the result, now when `durationMs` is 0, else after it. */
  start(uuid: string, operation: string, sessionUuid: string | undefined, durationMs: number, run: () => JobResult): Job {
    const job: Job = { uuid, operation, sessionUuid, acceptedAt: this.now(), gone: false };
    this.all.set(uuid, job);
    const finish = () => {
      job.result = run();
      job.doneAt = this.now();
    };
    if (durationMs <= 0) finish();
    else {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        finish();
      }, durationMs);
      this.timers.add(timer);
    }
    return job;
  }

  query(uuid: string): JobState {
    const job = this.all.get(uuid);
    // The store does not tell an unknown job from a collected one.
    if (!job || job.gone) return { state: 'expired' };
    if (!job.result) return { state: 'running', job };
    if (this.now() - job.doneAt! >= this.resultTtlMs()) return { state: 'expired' };
    return { state: 'done', job, result: job.result };
  }

  expire(uuid: string): void {
    const job = this.all.get(uuid);
    if (job) job.gone = true;
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
