import * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { BackendCapabilities, StorageProblem, TicketSummary } from '../../core/backend/backend';
import { type OptionalOperation, operationsOf } from '../../core/backend/optionalOperations';
import { statusLabel, type TicketState } from '../../core/model/ticketStatus';
import { seenKey } from '../../core/tracking/transitions';
import type { Backends } from '../profiles/backends';

const defaultPageSize = 100;

/** The pages of one profile's tickets listed so far. */
export interface Listing {
  tickets: TicketSummary[];
  capabilities: BackendCapabilities;
  /** The operations only some backends have that this one has (`operationsOf`). */
  operations?: OptionalOperation[];
  pages: number;
  nextCursor?: string;
  total?: number;
  /** What could not be trusted in the backend's own storage (`Backend.storageProblems`). */
  storageProblems?: StorageProblem[];
}

/** One profile's tickets as a load saw them. */
export interface LoadedProfile {
  profile: ProfileConfig;
  tickets: TicketSummary[];
  capabilities: BackendCapabilities;
  storageProblems?: StorageProblem[];
}

/** Tickets whose state the model learned, and how: a load of the lists, or one ticket seen fresher (an action's answer, a details panel's look). */
export interface TicketsChange {
  source: 'load' | 'observed';
  tickets: Array<{ profile: string; ticket: TicketSummary }>;
}

/** An action of the user's on a ticket: under way (`state` absent), done (the state it left), or failed (`state` null). */
export interface ActedOn {
  profile: string;
  id: string;
  state?: TicketState | null;
}

/**
 * The tickets of every profile, as the extension knows them: per-profile listings with their pages, loads, paging
 * and the user's actions. Views subscribe instead of asking the backends themselves, so the tree, live status, the
 * details panels and the source CodeLens all show the same state: every newer look at a ticket — a load, an action's
 * answer, a details panel's fetch — goes through the model and reaches them all in one `onDidChange`.
 */
export class TicketsModel implements vscode.Disposable {
  private readonly reset = new vscode.EventEmitter<void>();
  /** The listings were dropped (a refresh) or grew (Load More): views ask for them again. */
  readonly onDidReset = this.reset.event;
  private readonly loaded = new vscode.EventEmitter<LoadedProfile[]>();
  /** A load of every profile finished: the profiles whose tickets could be listed, with their tickets. */
  readonly onDidLoad = this.loaded.event;
  private readonly acted = new vscode.EventEmitter<ActedOn>();
  /** The user is moving a ticket themselves, or has. */
  readonly onDidAct = this.acted.event;
  private readonly changed = new vscode.EventEmitter<TicketsChange>();
  /** Tickets changed state (or first became known): every view showing a ticket updates from this one event. */
  readonly onDidChange = this.changed.event;

  private listings = new Map<string, Promise<Listing>>();
  /** How many pages of each profile the next load lists again, when it keeps the pages. */
  private readonly depth = new Map<string, number>();
  private loading: Promise<Array<PromiseSettledResult<Listing>>> | undefined;
  private latest = new Map<string, { profile: string; ticket: TicketSummary }>();
  /** Tickets seen fresher than the lists showed them; a list that lags behind does not take them back. */
  private readonly observed = new Map<string, TicketSummary>();
  readonly pageSize: number;

  private readonly pushes: vscode.Disposable;

  constructor(
    private readonly backends: Backends,
    options: { pageSize?: number } = {},
  ) {
    this.pageSize = options.pageSize ?? defaultPageSize;
    // A change someone else made, pushed by the backend: a look shows it (and live status tells of it) at once.
    this.pushes = backends.onDidPush(() => void this.look());
  }

  /** The configured profiles; throws a user-facing error when the settings are invalid. */
  profiles(): ProfileConfig[] {
    return this.backends.profiles();
  }

  /**
   * Lists every profile (once per refresh; later callers share the load) and tells the subscribers what it found.
   * Resolves to each profile's listing or the reason it failed, in the order of `profiles()`.
   */
  load(): Promise<Array<PromiseSettledResult<Listing>>> {
    if (!this.loading) {
      let profiles: ProfileConfig[];
      try {
        profiles = this.profiles();
      } catch (error) {
        return Promise.reject(error); // invalid settings: not cached, so fixing them shows at the next load
      }
      const loading = Promise.allSettled(profiles.map((profile) => this.listing(profile)));
      this.loading = loading;
      void loading.then((listed) => {
        if (this.loading !== loading) return; // overtaken by a refresh
        const found = listed.flatMap((result, i) => {
          if (result.status === 'rejected') return [];
          const profile = profiles[i];
          const tickets = this.keepFresher(profile, result.value);
          return [{ profile, tickets, capabilities: result.value.capabilities, storageProblems: result.value.storageProblems }];
        });
        const before = this.latest;
        this.latest = new Map(found.flatMap(({ profile, tickets }) => tickets.map((ticket) => [seenKey(profile.name, ticket.id), { profile: profile.name, ticket }] as const)));
        const changed = [...this.latest].filter(([key, { ticket }]) => !sameState(before.get(key)?.ticket, ticket)).map(([, entry]) => entry);
        this.loaded.fire(found);
        if (changed.length > 0) this.changed.fire({ source: 'load', tickets: changed });
      });
    }
    return this.loading;
  }

  /**
   * A ticket as someone just saw it, fresher than the lists may be (an action's answer, a details panel's fetch):
   * the listing shows it at once and every view is told, without waiting for the next load.
   */
  observe(profile: string, ticket: TicketSummary): void {
    const key = seenKey(profile, ticket.id);
    const known = this.latest.get(key)?.ticket;
    if (known && (sameState(known, ticket) || isOlder(ticket, known))) return;
    this.observed.set(key, ticket);
    this.latest.set(key, { profile, ticket });
    const listing = this.listings.get(profile);
    if (listing) this.listings.set(profile, listing.then((l) => ({ ...l, tickets: l.tickets.map((t) => (t.id === ticket.id ? ticket : t)) })));
    this.changed.fire({ source: 'observed', tickets: [{ profile, ticket }] });
  }

  /** A listing's tickets, with any seen fresher than the list shows them put back; the listing is patched to match. */
  private keepFresher(profile: ProfileConfig, listing: Listing): TicketSummary[] {
    let patched = false;
    const tickets = listing.tickets.map((ticket) => {
      const key = seenKey(profile.name, ticket.id);
      const seen = this.observed.get(key);
      if (!seen) return ticket;
      if (isOlder(ticket, seen)) {
        patched = true;
        return seen;
      }
      this.observed.delete(key); // the list caught up
      return ticket;
    });
    if (patched) this.listings.set(profile.name, Promise.resolve({ ...listing, tickets }));
    return tickets;
  }

  /** A profile's listing in the current load. */
  listing(profile: ProfileConfig): Promise<Listing> {
    let listing = this.listings.get(profile.name);
    if (!listing) {
      listing = this.list(profile, this.depth.get(profile.name) ?? 1);
      this.listings.set(profile.name, listing);
    }
    return listing;
  }

  /** The ticket as the last load saw it. */
  find(profile: string, id: string): TicketSummary | undefined {
    return this.latest.get(seenKey(profile, id))?.ticket;
  }

  /** Every ticket of the last load, with its profile. */
  all(): Array<{ profile: string; ticket: TicketSummary }> {
    return [...this.latest.values()];
  }

  /** Lists the tickets again from the first page of each profile: the views drop what they show and ask for the new load. */
  refresh(): void {
    this.listings.clear();
    this.loading = undefined;
    this.depth.clear();
    this.reset.fire();
  }

  /**
   * A look in the background, or after the user changed a ticket: lists every profile again, as many pages as are
   * loaded (a ticket loaded with "Load More…" stays in view), without dropping what the views show. Only when a listing
   * differs from the one shown are the views told to draw again (`onDidReset`), and then from lists already in; the
   * subscribers of `onDidLoad` hear of every look. A refresh or Load More meanwhile wins, and the look is dropped.
   */
  async look(): Promise<void> {
    let profiles: ProfileConfig[];
    try {
      profiles = this.profiles();
    } catch {
      return; // invalid settings: the tree shows the error
    }
    const shown = new Map(this.listings);
    const overtaken = () => this.listings.size !== shown.size || [...shown].some(([name, listing]) => this.listings.get(name) !== listing);
    const listed = await Promise.allSettled(profiles.map((profile) => this.list(profile, this.depth.get(profile.name) ?? 1)));
    if (overtaken()) return;
    const before = await Promise.allSettled(profiles.map((profile) => shown.get(profile.name) ?? Promise.reject(new Error('not listed'))));
    if (overtaken()) return;
    this.listings = new Map(profiles.map((profile, i) => {
      const result = listed[i];
      return [profile.name, result.status === 'fulfilled' ? Promise.resolve(result.value) : Promise.reject(result.reason)] as const;
    }));
    for (const listing of this.listings.values()) listing.catch(() => undefined); // a failed profile is shown when drawn
    const redraw = listed.some((result, i) => !sameListing(before[i], result));
    this.loading = undefined;
    const loaded = this.load();
    if (redraw) this.reset.fire();
    await loaded;
  }

  /** Lists a profile's next page; a refresh meanwhile wins and the page is dropped. */
  async loadMore(profile: ProfileConfig): Promise<void> {
    const current = this.listings.get(profile.name);
    const listing = current && (await current);
    if (!listing?.nextCursor) return;
    const more = await this.list(profile, listing.pages + 1, listing);
    if (this.listings.get(profile.name) !== current) return;
    this.listings.set(profile.name, Promise.resolve(more));
    this.depth.set(profile.name, more.pages);
    this.loading = undefined;
    this.reset.fire();
  }

  /**
   * Runs the user's action on ticket `id` of `profile`, letting others know it is theirs, then lists the tickets again
   * with a look: the views draw again only once the new lists are in, as a row clicked while the tree waits for its
   * rows reaches the command without its ticket.
   */
  async act<T extends TicketSummary>(profile: string, id: string, action: () => Thenable<T>): Promise<T> {
    this.acted.fire({ profile, id });
    let state: TicketState | null = null;
    try {
      const ticket = await action();
      state = ticket.status.state;
      this.observe(profile, ticket);
      return ticket;
    } finally {
      this.acted.fire({ profile, id, state });
      void this.look();
    }
  }

  /** Lists pages until `pages` are loaded or there are no more, after the ones `from` holds. */
  private async list(profile: ProfileConfig, pages: number, from?: Listing): Promise<Listing> {
    const backend = await this.backends.get(profile);
    const listing: Listing = { ...(from ?? { capabilities: backend.capabilities, operations: operationsOf(backend), pages: 0 }), tickets: [...(from?.tickets ?? [])] };
    // A ticket that moved up a page since the last one was listed is shown once, where it was first seen.
    const known = new Set(listing.tickets.map((t) => t.id));
    do {
      const page = await backend.list({ scope: 'all' }, { size: this.pageSize, cursor: listing.nextCursor });
      for (const ticket of page.items) {
        if (known.has(ticket.id)) continue;
        known.add(ticket.id);
        listing.tickets.push(ticket);
      }
      listing.pages += 1;
      listing.nextCursor = page.nextCursor;
      listing.total = page.total;
    } while (listing.pages < pages && listing.nextCursor);
    return { ...listing, storageProblems: await backend.storageProblems?.() };
  }


  dispose(): void {
    this.pushes.dispose();
    this.reset.dispose();
    this.loaded.dispose();
    this.acted.dispose();
    this.changed.dispose();
  }
}

/** Whether a look found a profile's listing as it was shown: the same tickets in the same order and states, or the same failure. */
function sameListing(before: PromiseSettledResult<Listing>, after: PromiseSettledResult<Listing>): boolean {
  if (before.status === 'rejected' || after.status === 'rejected') {
    return before.status === after.status && String((before as PromiseRejectedResult).reason) === String((after as PromiseRejectedResult).reason);
  }
  const [a, b] = [before.value, after.value];
  if (a.tickets.length !== b.tickets.length || a.nextCursor !== b.nextCursor || a.total !== b.total) return false;
  if ((a.storageProblems?.length ?? 0) !== (b.storageProblems?.length ?? 0)) return false;
  return a.tickets.every((ticket, i) => ticket.id === b.tickets[i].id && ticket.title === b.tickets[i].title && sameState(ticket, b.tickets[i]));
}

/** Whether two looks at a ticket show the same: its state, status text, what it offers and when it last changed. */
function sameState(a: TicketSummary | undefined, b: TicketSummary): boolean {
  return !!a && a.updatedAt === b.updatedAt && statusLabel(a.status) === statusLabel(b.status) && a.needsYou === b.needsYou && a.actions.join() === b.actions.join();
}

/** Whether `a` is an older look at the ticket than `b`, by the time each says it last changed. */
function isOlder(a: TicketSummary, b: TicketSummary): boolean {
  return Date.parse(a.updatedAt) < Date.parse(b.updatedAt);
}
