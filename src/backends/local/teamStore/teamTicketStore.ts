import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import pg from 'pg';
import { DbTicketsError } from '../../../core/errors';
import type { HeartbeatSite } from '../executionHeartbeat';
import type { Decision, LocalStore } from '../store/localStore';
import { type ResultSite, saveVerifiedResult } from '../storedResult';
import type { LocalRole } from '../ticketActions';
import { StoreEvent } from '../store/events';
import type { StoreProblem, StoreProblemKind } from '../store/storeProblems';
import { type ApplyOutcome, TicketProjection } from '../store/ticketProjection';
import { changeChannel, schemaVersion, teamRoles, writeLock } from './teamSchema';
import { applySetup, newerStore, storedVersion } from './teamSetup';

export type TeamRole = LocalRole;

/** How long after a lost LISTEN connection it is opened again. */
const relistenMs = 1_000;

/** The size of one stored chunk of a result: one row, one round trip. */
const chunkBytes = 1024 * 1024;

/** Streams a result file into `db_tickets.results` as `ticket`'s chunks, in the caller's transaction. */
export async function storeResultChunks(client: pg.ClientBase, ticket: string, file: string): Promise<void> {
  let chunk = 0;
  for await (const data of createReadStream(file, { highWaterMark: chunkBytes })) {
    await client.query('INSERT INTO db_tickets.results (ticket, chunk, data) VALUES ($1, $2, $3)', [Number(ticket), chunk++, data]);
  }
}
/** Results larger than this are not stored in the database unless the profile says otherwise. */
export const defaultResultLimitBytes = 256 * 1024 * 1024;

export interface TeamStoreOptions {
  /** For messages: which database this is. */
  location: string;
  onProblem?: (problem: StoreProblem) => void;
  /**
   * How long a write may sit in its transaction with nothing happening (its process paused or stopped) before the
   * server ends it, rolling it back and freeing the write lock for the others. Default 10 s.
   */
  idleWriteMs?: number;
  /** How long a write waits for the write lock before it gives up as "busy". Default 30 s. */
  lockWaitMs?: number;
}

/** Who the connected role is, as the database says, and whether the store lets approvers approve their own tickets. */
export interface TeamIdentity {
  actor: string;
  roles: ReadonlySet<TeamRole>;
  selfApproval: boolean;
}

/**
 * The Local workflow's tickets in a PostgreSQL database a team shares: the same events as the folder store's log,
 * one a row of `db_tickets.events`, replayed into the same projection. Reads fetch only the events after the last
 * one read. Writes run in a transaction under the store's write lock, after catching up, and the database checks
 * each event (who may record it, whether it fits its ticket) and stamps it with the connected role and its own
 * clock: a client never says who it is.
 */
export class TeamTicketStore implements LocalStore {
  readonly location: string;
  private projection = new TicketProjection();
  private lastSeq = 0;
  private readonly found: StoreProblem[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private listening?: Promise<pg.Client | undefined>;
  private readonly listeners = new Set<() => void>();
  private closed = false;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly pool: pg.Pool,
    readonly identity: TeamIdentity,
    private readonly options: TeamStoreOptions,
  ) {
    this.location = options.location;
  }

  /**
   * Connects, sets up or brings up to date the schema when this role may (its owner), and finds out who the role is.
   * A store that is not set up, for a role that may not set it up, is a config error naming the command to run.
   */
  static async open(config: pg.ClientConfig, options: TeamStoreOptions): Promise<TeamTicketStore> {
    const pool = new pg.Pool({ ...config, max: 3, idleTimeoutMillis: 30_000 });
    pool.on('error', () => undefined); // an idle connection lost: the next query reconnects or reports it
    try {
      const identity = await withClient(pool, options.location, async (client) => {
        const version = await storedVersion(client);
        if (version > schemaVersion) throw newerStore(version);
        if (version < schemaVersion) await setUpIfAllowed(client, version, options.location);
        return identify(client);
      });
      return new TeamTicketStore(config, pool, identity, options);
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  get problems(): readonly StoreProblem[] {
    return this.found;
  }

  read(): Promise<TicketProjection> {
    return this.serial(async () => {
      await withClient(this.pool, this.location, (client) => this.catchUp(client));
      return this.projection;
    });
  }

  readWholeLog(): Promise<readonly StoreProblem[]> {
    return this.serial(async () => {
      this.projection = new TicketProjection();
      this.lastSeq = 0;
      this.found.length = 0;
      await withClient(this.pool, this.location, (client) => this.catchUp(client));
      return this.found;
    });
  }

  transact<T>(decide: (tickets: TicketProjection) => Decision<T>): Promise<T> {
    return this.serial(() =>
      withClient(this.pool, this.location, async (client) => {
        await client.query('BEGIN');
        try {
          // A writer that stops inside its transaction (kill -STOP, a laptop's sleep) must not hold the lock forever.
          await client.query("SELECT set_config('idle_in_transaction_session_timeout', $1, true), set_config('lock_timeout', $2, true)", [
            `${this.options.idleWriteMs ?? 10_000}ms`,
            `${this.options.lockWaitMs ?? 30_000}ms`,
          ]);
          await client.query('SELECT pg_advisory_xact_lock($1)', [writeLock]);
          await this.catchUp(client);
          const { events, result } = decide(this.projection);
          for (const event of events) {
            await client.query('INSERT INTO db_tickets.events (body) VALUES ($1)', [JSON.stringify(StoreEvent.parse(this.keyed(event)))]);
          }
          await client.query('COMMIT');
          await this.catchUp(client);
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    );
  }

  settled(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    this.listeners.clear();
    await (await this.listening)?.end().catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }

  /**
   * Heartbeats as rows of `db_tickets.heartbeats`, where every member's reader sees them. Their age is taken on the
   * database's clock, so clients whose clocks differ agree on it.
   */
  heartbeats(): HeartbeatSite {
    const query = (sql: string, values: unknown[]) => withClient(this.pool, this.location, (client) => client.query(sql, values));
    const beat = (ticket: string) =>
      query('INSERT INTO db_tickets.heartbeats (ticket, beat_at) VALUES ($1, clock_timestamp()) ON CONFLICT (ticket) DO UPDATE SET beat_at = excluded.beat_at', [Number(ticket)]);
    return {
      start: async (ticket, everyMs) => {
        await beat(ticket);
        const timer = setInterval(() => void beat(ticket).catch(() => undefined), everyMs);
        timer.unref();
        return {
          stop: async () => {
            clearInterval(timer);
            await query('DELETE FROM db_tickets.heartbeats WHERE ticket = $1', [Number(ticket)]).catch(() => undefined);
          },
        };
      },
      renewedAt: async (ticket) => {
        const { rows } = await query('SELECT extract(epoch FROM clock_timestamp() - beat_at) * 1000 AS age FROM db_tickets.heartbeats WHERE ticket = $1', [Number(ticket)]);
        return rows.length === 0 ? undefined : Date.now() - Number((rows[0] as { age: string }).age);
      },
      remove: async (ticket) => void (await query('DELETE FROM db_tickets.heartbeats WHERE ticket = $1', [Number(ticket)])),
    };
  }

  /**
   * Results as chunks of `db_tickets.results`, written in one transaction (a crash stores none) and read back one
   * chunk at a time, so neither way holds more than a chunk in memory.
   */
  results(limitBytes = defaultResultLimitBytes): ResultSite {
    const { pool, location } = this;
    return {
      share: async (ticket, file, bytes) => {
        if (bytes > limitBytes) {
          throw new DbTicketsError('failed', `The result of #${ticket} is ${bytes.toLocaleString('en-US')} bytes, more than the ${limitBytes.toLocaleString('en-US')} this profile stores in ${location} (resultLimitBytes): export fewer rows, or raise the profile's limit.`);
        }
        await withClient(pool, location, async (client) => {
          await client.query('BEGIN');
          try {
            await client.query('DELETE FROM db_tickets.results WHERE ticket = $1', [Number(ticket)]);
            await storeResultChunks(client, ticket, file);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        });
      },
      download: (ticket, recorded, target, ctx = {}) => {
        async function* chunks(): AsyncGenerator<Buffer> {
          for (let chunk = 0; ; chunk++) {
            const { rows } = await withClient(pool, location, (client) => client.query<{ data: Buffer }>('SELECT data FROM db_tickets.results WHERE ticket = $1 AND chunk = $2', [Number(ticket), chunk]));
            if (rows.length === 0) {
              if (chunk === 0 && recorded.bytes > 0) {
                throw new DbTicketsError('not_found', `The result of #${ticket} is not in ${location}: it was removed from db_tickets.results. Re-submit the ticket as a new draft to export again.`);
              }
              return;
            }
            yield rows[0].data;
          }
        }
        return saveVerifiedResult(Readable.from(chunks()), { ticket, recorded, target, ctx, what: `download the result of #${ticket}`, where: location });
      },
    };
  }

  /**
   * Calls `listener` whenever anyone records an event, as the database announces it (LISTEN/NOTIFY on a connection
   * of its own, opened for the first listener). Resolves to false when notifications cannot be had (e.g. behind a
   * pooler in transaction mode): the caller polls instead.
   */
  async subscribe(listener: () => void): Promise<{ live: boolean; dispose(): void }> {
    this.listeners.add(listener);
    this.listening ??= this.listen();
    const live = (await this.listening) !== undefined;
    return { live, dispose: () => this.listeners.delete(listener) };
  }

  private async listen(): Promise<pg.Client | undefined> {
    const client = new pg.Client(this.config);
    const tell = () => {
      for (const listener of this.listeners) listener();
    };
    let lost = false;
    const relisten = () => {
      if (lost || this.closed) return;
      lost = true;
      // The connection was lost (a server restart, a dropped network): listen again in a moment, and tell the
      // listeners then, as changes may have been missed meanwhile.
      this.listening = undefined;
      const timer = setTimeout(() => {
        if (this.closed || this.listeners.size === 0) return;
        this.listening ??= this.listen();
        void this.listening.then((again) => again && tell());
      }, relistenMs);
      timer.unref();
    };
    client.on('error', relisten);
    client.on('end', relisten);
    client.on('notification', tell);
    try {
      await client.connect();
      await client.query(`LISTEN ${changeChannel}`);
      return client;
    } catch {
      lost = true;
      await client.end().catch(() => undefined);
      return undefined;
    }
  }

  /** The events after the last one read, in the order they were recorded. */
  private async catchUp(client: pg.ClientBase): Promise<void> {
    const { rows } = await client.query<{ seq: string; body: unknown }>('SELECT seq, body FROM db_tickets.events WHERE seq > $1 ORDER BY seq', [this.lastSeq]);
    for (const { seq, body } of rows) {
      this.lastSeq = Number(seq);
      this.replay(this.lastSeq, body);
    }
  }

  private replay(seq: number, body: unknown): void {
    const parsed = StoreEvent.safeParse(body);
    if (parsed.success) {
      this.problemOf(seq, this.projection.apply(parsed.data, seq, seq));
      return;
    }
    const { type, ticket, uid } = (body ?? {}) as { type?: unknown; ticket?: unknown; uid?: unknown };
    if (typeof type === 'string' && typeof ticket === 'string' && !StoreEvent.def.options.some((option) => option.shape.type.def.values.includes(type as never))) {
      this.projection.applyUnknown(ticket, type, typeof uid === 'string' ? uid : undefined);
      this.problem(seq, 'unknown', `has an unknown event type ${JSON.stringify(type)}, probably recorded by a newer DB Tickets: its ticket shows as unknown until this one is updated.`);
      return;
    }
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
    this.problem(seq, 'invalid', `is not a valid event (${issues}), so it was skipped.`);
  }

  private problemOf(seq: number, outcome: ApplyOutcome): void {
    if (outcome && 'refused' in outcome) this.problem(seq, 'refused', `was skipped: ${outcome.refused}.`);
  }

  private problem(seq: number, kind: StoreProblemKind, what: string): void {
    const problem: StoreProblem = { file: this.location, line: seq, kind, what, message: `${this.location}, event ${seq}: ${what}` };
    this.found.push(problem);
    this.options.onProblem?.(problem);
  }

  /** A new ticket gets its unique key; an event of an existing ticket names it by number, as the database keeps it. */
  private keyed(event: StoreEvent): StoreEvent {
    if (event.type === 'submitted') return event.uid ? event : { ...event, uid: randomBytes(4).toString('hex') };
    const ticket = this.projection.get(event.ticket);
    return ticket ? { ...event, ticket: ticket.number, uid: ticket.uid } : event;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

async function identify(client: pg.ClientBase): Promise<TeamIdentity> {
  const { rows } = await client.query<{ actor: string; submitter: boolean; approver: boolean; executor: boolean; self_approval: boolean }>(
    `SELECT session_user AS actor, db_tickets.is_member(session_user, '${teamRoles.submitter}') AS submitter,
       db_tickets.is_member(session_user, '${teamRoles.approver}') AS approver, db_tickets.is_member(session_user, '${teamRoles.executor}') AS executor,
       (SELECT self_approval FROM db_tickets.settings) AS self_approval`,
  );
  const [row] = rows;
  const roles = new Set<TeamRole>((['submitter', 'approver', 'executor'] as const).filter((role) => row[role]));
  return { actor: row.actor, roles, selfApproval: row.self_approval };
}

/** Applies the migrations when the connected role owns the database or may create in it; otherwise says who must. */
async function setUpIfAllowed(client: pg.ClientBase, version: number, location: string): Promise<void> {
  const { rows } = await client.query<{ allowed: boolean }>("SELECT has_database_privilege(current_database(), 'CREATE') AS allowed");
  if (!rows[0].allowed) {
    const what = version === 0 ? 'is not set up yet' : `is at schema version ${version}, older than this DB Tickets needs (${schemaVersion})`;
    throw new DbTicketsError('config', `The ticket store in ${location} ${what}, and your role may not change it: the database's owner runs "db-tickets store init --connection <name>" once.`);
  }
  await applySetup(client);
}

async function withClient<T>(pool: pg.Pool, location: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw connectError(error, location);
  }
  // The server may end a session while it is checked out (an idle transaction's timeout, a restart): what it said
  // is kept for the message, and the connection is thrown away instead of going back to the pool.
  let lost: Error | undefined;
  const onLost = (error: Error) => void (lost ??= error);
  client.on('error', onLost);
  try {
    return await work(client);
  } catch (error) {
    // The server's own word (it carries a SQLSTATE) over the driver's "Connection terminated" that follows it.
    throw storeError([error, lost].find((said) => typeof (said as { code?: unknown })?.code === 'string') ?? lost ?? error, location);
  } finally {
    client.off('error', onLost);
    client.release(lost);
  }
}

/** A refusal of the store's rules (SQLSTATE DT4xx) as the user's error; anything else from the database as what it says. */
export function storeError(error: unknown, location: string): unknown {
  if (error instanceof DbTicketsError || !(error instanceof Error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const kinds: Record<string, DbTicketsError['kind']> = { DT400: 'usage', DT403: 'auth', DT404: 'not_found', DT409: 'conflict', '42501': 'auth' };
  const kind = kinds[code];
  if (kind) return new DbTicketsError(kind, code === '42501' ? `${error.message} in ${location}: ask the database owner to grant your role one of ${Object.values(teamRoles).join(', ')}.` : error.message, { cause: error });
  if (code === '55P03') {
    return new DbTicketsError('unavailable', `The ticket store in ${location} is busy: another write has held its write lock too long (${error.message}). Nothing was recorded; try again. If it persists, the database owner can look for a stuck session in pg_stat_activity.`, { cause: error });
  }
  if (code === '25P03') {
    return new DbTicketsError('unavailable', `The ticket store in ${location} ended this write: it stayed open with nothing happening for too long (the process or the computer was paused?). Nothing of it was recorded; try again.`, { cause: error });
  }
  if (code === '42P01' || code === '3F000') {
    return new DbTicketsError('config', `The ticket store in ${location} is not set up (${error.message}): the database's owner runs "db-tickets store init --connection <name>" once.`, { cause: error });
  }
  return new DbTicketsError('unavailable', `The ticket store in ${location} failed: ${error.message}. Try again; if it persists, check the database server.`, { cause: error });
}

function connectError(error: unknown, location: string): DbTicketsError {
  const { message, code } = error as { message?: string; code?: string };
  if (code === '28P01' || code === '28000') {
    return new DbTicketsError('auth', `Could not log in to ${location}: ${message}. Check the user and password (PGPASSWORD, ~/.pgpass or the stored secret).`, { cause: error });
  }
  if (code === '3D000') return new DbTicketsError('config', `Could not open ${location}: ${message}. Check the database name of the store.`, { cause: error });
  return new DbTicketsError('unavailable', `Could not reach ${location}: ${message ?? String(error)}. Check that the server runs and the host and port are right, then try again.`, { cause: error });
}
