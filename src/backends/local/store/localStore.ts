import type { StoreEvent } from './events';
import type { StoreProblem } from './storeProblems';
import type { TicketProjection } from './ticketProjection';

/** What a transaction decided: the events to append and the caller's result. */
export interface Decision<T> {
  events: StoreEvent[];
  result: T;
}

/**
 * Where the Local workflow keeps its tickets: an event log in a folder (`TicketStore`) or in a PostgreSQL database
 * a team shares (`TeamTicketStore`). Both replay the same events into the same projection.
 */
export interface LocalStore {
  /** Where the tickets are, for messages: a folder, or a database. */
  readonly location: string;
  /** Problems found in the history so far, oldest first. */
  readonly problems: readonly StoreProblem[];
  /** The tickets, with whatever others recorded since the last read. */
  read(): Promise<TicketProjection>;
  /** Replays the whole history, trusting no cache; returns the problems found. */
  readWholeLog(): Promise<readonly StoreProblem[]>;
  /**
   * Catches up with the history while no one else can write, lets `decide` choose events (or throw to refuse), and
   * records them durably before resolving.
   */
  transact<T>(decide: (tickets: TicketProjection) => Decision<T>): Promise<T>;
  /** Resolves once background work (a snapshot being written) is done. */
  settled(): Promise<void>;
  close?(): Promise<void>;
}
