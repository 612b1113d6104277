import * as assert from 'node:assert/strict';
import type { Memento } from 'vscode';
import type { ProfileConfig } from '../../../../src/backends/profiles';
import type { TicketSummary } from '../../../../src/core/backend/backend';
import type { TicketState } from '../../../../src/core/model/ticketStatus';
import { type Milestone, Milestones, WalkthroughProgress } from '../../../../src/vscode/walkthrough/walkthroughProgress';

/** The extension's global state as VS Code keeps it: values stored as JSON, across windows and reloads. */
class StoredState implements Memento {
  private readonly values = new Map<string, string>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T {
    const stored = this.values.get(key);
    return stored === undefined ? (fallback as T) : (JSON.parse(stored) as T);
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, JSON.stringify(value));
  }
}

/** A window: its own context keys, the settings they were set to in order, over the shared global state. */
function window(state: StoredState) {
  const settings: Array<[Milestone, boolean]> = [];
  const progress = new WalkthroughProgress(state, async (key, value) => {
    settings.push([key, value]);
  });
  /** The milestones announced: each set, then unset right after. */
  const announced = () => settings.filter(([, value], i) => value && settings[i + 1]?.[0] === settings[i][0] && settings[i + 1][1] === false).map(([key]) => key);
  return { progress, settings, announced };
}

const ticket = (id: string, state: TicketState): TicketSummary => ({
  id,
  title: `Ticket ${id}`,
  kind: 'DATA_EXPORT',
  status: { state, native: state },
  database: 'demo',
  submitter: { id: 'me', name: 'Me' },
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  needsYou: false,
  actions: [],
});

describe('walkthrough progress', () => {
  it('announces a milestone as a set then unset context key, and keeps it across windows', async () => {
    const state = new StoredState();
    const first = window(state);
    await first.progress.reach(Milestones.demoOpened);
    assert.deepEqual(first.settings, [
      [Milestones.demoOpened, true],
      [Milestones.demoOpened, false],
    ]);

    const second = window(state);
    await second.progress.announceReached();
    assert.deepEqual(second.announced(), [Milestones.demoOpened]);
    assert.deepEqual(second.progress.reached(), [Milestones.demoOpened]);
  });

  it('announces nothing in a window before anything was done, and each milestone once however often it is reached', async () => {
    const state = new StoredState();
    const { progress, announced } = window(state);
    await progress.announceReached();
    assert.deepEqual(announced(), []);
    await progress.reach(Milestones.demoOpened);
    await progress.reach(Milestones.demoOpened);
    assert.deepEqual(progress.reached(), [Milestones.demoOpened]);
    assert.deepEqual(window(state).progress.reached(), [Milestones.demoOpened]);
  });

  it('marks a submission, then the success of a ticket the user submitted, not of someone else\'s', async () => {
    const state = new StoredState();
    const { progress, announced } = window(state);
    await progress.submitted('local', ticket('1', 'pending_approval'));
    assert.deepEqual(announced(), [Milestones.ticketSubmitted]);

    // Another ticket of the same profile, or the same id on another profile, succeeding is not the user's.
    await progress.ticketsChanged({ source: 'load', tickets: [{ profile: 'local', ticket: ticket('2', 'succeeded') }, { profile: 'dms', ticket: ticket('1', 'succeeded') }] });
    // Their own ticket moving, but not to succeeded.
    await progress.ticketsChanged({ source: 'observed', tickets: [{ profile: 'local', ticket: ticket('1', 'approved') }] });
    assert.deepEqual(progress.reached(), [Milestones.ticketSubmitted]);

    await progress.ticketsChanged({ source: 'observed', tickets: [{ profile: 'local', ticket: ticket('1', 'succeeded') }] });
    assert.deepEqual(progress.reached(), [Milestones.ticketSubmitted, Milestones.ticketSucceeded]);
    assert.deepEqual(announced(), [Milestones.ticketSubmitted, Milestones.ticketSucceeded]);
  });

  it('follows a submitted ticket in a later window, where the model first sees it succeeded', async () => {
    const state = new StoredState();
    await window(state).progress.submitted('dms-prod', ticket('88', 'pending_approval'));
    const later = window(state);
    await later.progress.ticketsChanged({ source: 'load', tickets: [{ profile: 'dms-prod', ticket: ticket('88', 'succeeded') }] });
    assert.deepEqual(later.announced(), [Milestones.ticketSucceeded]);
  });

  it('marks a ticket that succeeded as it was submitted at once', async () => {
    const { progress } = window(new StoredState());
    await progress.submitted('local', ticket('5', 'succeeded'));
    assert.deepEqual(progress.reached(), [Milestones.ticketSubmitted, Milestones.ticketSucceeded]);
  });

  it('stops following tickets once one succeeded, and follows at most the last fifty', async () => {
    const state = new StoredState();
    const { progress } = window(state);
    for (let id = 1; id <= 60; id++) await progress.submitted('local', ticket(String(id), 'pending_approval'));
    await progress.ticketsChanged({ source: 'load', tickets: [{ profile: 'local', ticket: ticket('10', 'succeeded') }] });
    assert.ok(!progress.reached().includes(Milestones.ticketSucceeded), 'the 10th of 60 tickets is still followed');
    await progress.ticketsChanged({ source: 'load', tickets: [{ profile: 'local', ticket: ticket('11', 'succeeded') }] });
    assert.ok(progress.reached().includes(Milestones.ticketSucceeded), 'the 11th of 60 tickets is not followed');
    assert.deepEqual(state.keys(), ['walkthrough.reached']);
    await progress.submitted('local', ticket('61', 'pending_approval'));
    assert.deepEqual(state.keys(), ['walkthrough.reached'], 'a ticket is followed after the milestone was reached');
  });

  it('counts a passing check of a cloud profile as connecting one, not of the built-in Local profile', async () => {
    const { progress } = window(new StoredState());
    await progress.profileWorks({ name: 'local', backend: 'local' } as ProfileConfig);
    assert.deepEqual(progress.reached(), []);
    await progress.profileWorks({ name: 'hw', backend: 'huawei' } as ProfileConfig);
    assert.deepEqual(progress.reached(), [Milestones.profileChecked]);
  });
});
