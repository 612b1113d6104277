import type * as vscode from 'vscode';
import type { ProfileConfig } from '../../backends/profiles';
import type { TicketSummary } from '../../core/backend/backend';
import { seenKey } from '../../core/tracking/transitions';
import type { TicketsChange } from '../tickets/ticketsModel';

/**
 * What the user has really done, one context key each: the Getting Started walkthrough's steps complete on them
 * (`completionEvents: ["onContext:…"]` in package.json), not on a click in the walkthrough.
 */
export const Milestones = {
  demoOpened: 'dbTickets.walkthrough.demoOpened',
  ticketSubmitted: 'dbTickets.walkthrough.ticketSubmitted',
  ticketSucceeded: 'dbTickets.walkthrough.ticketSucceeded',
  profileChecked: 'dbTickets.walkthrough.profileChecked',
  cliGuideOpened: 'dbTickets.walkthrough.cliGuideOpened',
} as const;

export type Milestone = (typeof Milestones)[keyof typeof Milestones];

const reachedKey = 'walkthrough.reached';
const followedKey = 'walkthrough.followed';
/** Enough for anyone still working towards a first succeeded ticket; the oldest are let go first. */
const maxFollowed = 50;

/**
 * The milestones reached so far, kept in the extension's global state so they survive reloads and new windows, and
 * announced to the walkthrough through their context keys. The tickets the user submitted are followed until one of
 * them succeeds.
 *
 * A key is announced as a pulse — set, then unset — because VS Code's walkthrough service completes a step only on a
 * change of its key while the service runs, and takes a key that is already set when it starts (it starts when the
 * Welcome page first opens) as old news: that step could then not complete in this window. So the milestones reached
 * are announced again when they may be news (`announceReached`); a step already completed stays done.
 */
export class WalkthroughProgress {
  constructor(
    private readonly state: vscode.Memento,
    private readonly setContext: (key: Milestone, value: boolean) => Thenable<unknown>,
  ) {}

  /** Announces every milestone reached so far, in this session or an earlier one. */
  async announceReached(): Promise<void> {
    for (const milestone of this.reached()) await this.announce(milestone);
  }

  reached(): Milestone[] {
    return this.state.get<Milestone[]>(reachedKey, []);
  }

  async reach(milestone: Milestone): Promise<void> {
    const reached = this.reached();
    if (!reached.includes(milestone)) await this.state.update(reachedKey, [...reached, milestone]);
    await this.announce(milestone);
  }

  private async announce(milestone: Milestone): Promise<void> {
    await this.setContext(milestone, true);
    await this.setContext(milestone, false);
  }

  /** A ticket the user just submitted: it is followed until it, or another they submitted, succeeds. */
  async submitted(profile: string, ticket: TicketSummary): Promise<void> {
    await this.reach(Milestones.ticketSubmitted);
    if (this.reached().includes(Milestones.ticketSucceeded)) return;
    const key = seenKey(profile, ticket.id);
    const followed = this.state.get<string[]>(followedKey, []).filter((k) => k !== key);
    await this.state.update(followedKey, [...followed, key].slice(-maxFollowed));
    if (ticket.status.state === 'succeeded') await this.ticketsChanged({ source: 'observed', tickets: [{ profile, ticket }] });
  }

  /** The tickets' latest states, from the tickets model: a followed ticket that succeeded completes its milestone. */
  async ticketsChanged({ tickets }: TicketsChange): Promise<void> {
    const followed = new Set(this.state.get<string[]>(followedKey, []));
    if (followed.size === 0) return;
    if (!tickets.some(({ profile, ticket }) => ticket.status.state === 'succeeded' && followed.has(seenKey(profile, ticket.id)))) return;
    await this.reach(Milestones.ticketSucceeded);
    await this.state.update(followedKey, undefined);
  }

  /** A profile's check passed: connecting a cloud backend is done (checking the built-in Local profile is not that). */
  async profileWorks(profile: ProfileConfig): Promise<void> {
    if (profile.backend !== 'local') await this.reach(Milestones.profileChecked);
  }
}
