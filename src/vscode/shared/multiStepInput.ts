import * as vscode from 'vscode';
import { CancelledByUser } from './log';

/** Thrown by a step when the user presses Back; the flow returns to the previous step. */
class GoBack extends Error {}

/** One question of a flow. `skip` leaves it out (and out of the step count) for the answers so far. */
export interface FlowStep<S> {
  skip?: (state: S) => boolean;
  ask: (input: MultiStepInput, state: S) => Promise<void>;
}

export interface PickOptions<T extends vscode.QuickPickItem> {
  placeholder: string;
  items: readonly T[];
  active?: T;
  /** Text already typed in the filter box. */
  value?: string;
  /** Live search: called (debounced) as the user types; its items replace the list. */
  search?: (text: string) => Promise<T[]>;
  /** Free text: an item for what is typed, listed first (undefined when the text needs none). */
  typed?: (text: string) => T | undefined;
  /**
   * Turns the accepted item into the answer, e.g. by asking for a file; undefined keeps the step open. The pick may
   * hide meanwhile (a dialog in the browser is a quick input too) and is shown again.
   */
  complete?: (item: T) => Promise<T | undefined>;
  /** A reason to refuse the accepted item, shown in place of the placeholder; the step stays open. */
  refuse?: (item: T) => string | undefined;
  /**
   * Items that take a moment to fetch (e.g. from the service): the pick shows busy at once and lists them when they
   * arrive, making active the first `isActive` finds; a failure is shown in place of the placeholder.
   */
  load?: { items: () => Promise<T[]>; isActive?: (item: T) => boolean };
}

export interface PickManyOptions<T extends vscode.QuickPickItem> {
  placeholder: string;
  /** The items chosen already (kept chosen while searches replace the list). */
  chosen: readonly T[];
  /** Live search, as for `pick`; with an empty text it gives the first list. */
  search: (text: string) => Promise<T[]>;
  key: (item: T) => string;
}

export interface TextOptions {
  prompt: string;
  value?: string;
  /** Hides what is typed (a password or a secret key). */
  password?: boolean;
  /** A value still being worked out (e.g. an estimate; never rejects): filled in when it arrives, unless the user typed. */
  pending?: Promise<string | undefined>;
  placeholder?: string;
  /** A message for an unacceptable value, shown as the user types; undefined accepts it. */
  validate?: (value: string) => string | undefined;
}

const searchDelayMs = 250;

/**
 * Lists what `search` finds for the text typed into `pick`, a moment after the typing stops (and at once for the
 * empty text with `now`). A slower, older search never overwrites the answer to what the user typed since; a failed
 * one shows its message in place of the placeholder.
 */
function liveSearch<T extends vscode.QuickPickItem>(
  pick: vscode.QuickPick<T>,
  search: (text: string) => Promise<T[]>,
  show: (items: T[]) => void,
  options: { now?: boolean } = {},
): vscode.Disposable {
  let searches = 0;
  let timer: NodeJS.Timeout | undefined;
  const run = (text: string) => {
    const ticket = ++searches;
    pick.busy = true;
    search(text).then(
      (items) => ticket === searches && (show(items), (pick.busy = false)),
      (error: unknown) => ticket === searches && ((pick.placeholder = String(error instanceof Error ? error.message : error)), (pick.busy = false)),
    );
  };
  if (options.now) run('');
  const typing = pick.onDidChangeValue((text) => {
    clearTimeout(timer);
    ++searches;
    timer = setTimeout(() => run(text), searchDelayMs);
  });
  return { dispose: () => (clearTimeout(timer), typing.dispose()) };
}

/** A step that sent the user elsewhere (a dialog) while its input stays open, and whether the input hid meanwhile. */
interface Away {
  active: boolean;
  hidden: boolean;
}

export interface RunOptions {
  /** Start at this step (e.g. one to fix), with the steps before it reachable through Back. */
  startAt?: number;
  /** Steps the caller shows after the flow (e.g. a connection test), counted in the step indicator. */
  stepsAfter?: number;
}

/**
 * Runs a sequence of quick-input steps with a step counter and Back buttons, in one title. Escape cancels the
 * whole flow with `CancelledByUser`.
 */
export class MultiStepInput {
  private step = 0;
  private total = 0;

  private constructor(private readonly title: string) {}

  static async run<S>(title: string, steps: ReadonlyArray<FlowStep<S>>, state: S, options: RunOptions = {}): Promise<S> {
    const input = new MultiStepInput(title);
    let index = options.startAt ?? 0;
    const history = steps.slice(0, index).flatMap((step, i) => (step.skip?.(state) ? [] : [i]));
    while (index < steps.length) {
      const active = steps.filter((step) => !step.skip?.(state));
      const step = steps[index];
      if (step.skip?.(state)) {
        index += 1;
        continue;
      }
      input.step = active.indexOf(step) + 1;
      input.total = active.length + (options.stepsAfter ?? 0);
      try {
        await step.ask(input, state);
        history.push(index);
        index += 1;
      } catch (error) {
        if (!(error instanceof GoBack)) throw error;
        index = history.pop() ?? 0;
      }
    }
    return state;
  }

  pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const pick = vscode.window.createQuickPick<T>();
    pick.placeholder = options.placeholder;
    pick.items = options.items;
    if (options.active) pick.activeItems = [options.active];
    if (options.value) pick.value = options.value;
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    let listed = options.items;
    return this.show(pick, (resolve, subscriptions, away) => {
      if (options.load) {
        const { items, isActive } = options.load;
        pick.busy = true;
        items().then(
          (loaded) => {
            listed = [...options.items, ...loaded];
            const typed = options.typed?.(pick.value);
            pick.items = typed ? [typed, ...listed] : listed;
            const active = isActive && listed.find(isActive);
            if (active) pick.activeItems = [active];
            pick.busy = false;
          },
          (error: unknown) => {
            pick.placeholder = error instanceof Error ? error.message : String(error);
            pick.busy = false;
          },
        );
      }
      if (options.search) {
        subscriptions.push(liveSearch(pick, options.search, (items) => (pick.items = items.map((item) => ({ ...item, alwaysShow: true })))));
      }
      if (options.typed) {
        const typed = options.typed;
        subscriptions.push(
          pick.onDidChangeValue((text) => {
            const item = typed(text);
            pick.items = item ? [item, ...listed] : listed;
          }),
        );
      }
      subscriptions.push(
        pick.onDidAccept(async () => {
          let chosen: T | undefined = pick.activeItems[0] ?? options.typed?.(pick.value);
          if (chosen && options.complete) {
            away.active = true;
            try {
              chosen = await options.complete(chosen);
            } finally {
              away.active = false;
              if (away.hidden) pick.show();
              away.hidden = false;
            }
          }
          if (!chosen) return;
          const refusal = options.refuse?.(chosen);
          if (refusal) pick.placeholder = refusal;
          else resolve(chosen);
        }),
      );
    });
  }

  /** Several items from a searchable list; what is chosen stays chosen while the list changes. */
  pickMany<T extends vscode.QuickPickItem>(options: PickManyOptions<T>): Promise<T[]> {
    const pick = vscode.window.createQuickPick<T>();
    pick.canSelectMany = true;
    pick.placeholder = options.placeholder;
    const chosen = new Map(options.chosen.map((item) => [options.key(item), item]));
    const list = (items: readonly T[]) => {
      const all = [...chosen.values(), ...items.filter((item) => !chosen.has(options.key(item)))].map((item) => ({ ...item, alwaysShow: true }));
      pick.items = all;
      pick.selectedItems = all.filter((item) => chosen.has(options.key(item)));
    };
    list([]);
    /** The listed items are chosen exactly when selected; chosen items not listed stay chosen. */
    const keepChosen = (selected: readonly T[]) => {
      const keys = new Set(selected.map(options.key));
      for (const item of pick.items) {
        if (keys.has(options.key(item))) chosen.set(options.key(item), item);
        else chosen.delete(options.key(item));
      }
    };
    return this.show(pick, (resolve, subscriptions) => {
      subscriptions.push(
        liveSearch(pick, options.search, list, { now: true }),
        pick.onDidChangeSelection(keepChosen),
        pick.onDidAccept(() => {
          keepChosen(pick.selectedItems);
          resolve([...chosen.values()]);
        }),
      );
    });
  }

  text(options: TextOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    box.prompt = options.prompt;
    box.password = options.password ?? false;
    box.value = options.value ?? '';
    box.placeholder = options.placeholder;
    const validate = (value: string) => (box.validationMessage = options.validate?.(value));
    // An empty box is judged once the user types or accepts, so a step opens with its prompt, not an error.
    if (box.value) validate(box.value);
    if (options.pending) {
      box.busy = true;
      void options.pending.then((value) => {
        box.busy = false;
        if (value !== undefined && box.value === '') validate((box.value = value));
      });
    }
    return this.show(box, (resolve, subscriptions) => {
      subscriptions.push(
        box.onDidChangeValue(validate),
        box.onDidAccept(() => {
          if (!validate(box.value)) resolve(box.value);
        }),
      );
    });
  }

  /**
   * Shows one input with the flow's title, counter and Back button; settles on accept, Back, or hide — except while
   * the step has sent the user elsewhere (`away`).
   */
  private show<T>(
    input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
    wire: (resolve: (value: T) => void, subscriptions: vscode.Disposable[], away: Away) => void,
  ): Promise<T> {
    input.title = this.title;
    input.step = this.step;
    input.totalSteps = this.total;
    input.ignoreFocusOut = true;
    input.buttons = this.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    const subscriptions: vscode.Disposable[] = [];
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        action();
        subscriptions.forEach((subscription) => subscription.dispose());
        input.dispose();
      };
      const away: Away = { active: false, hidden: false };
      wire((value) => settle(() => resolve(value)), subscriptions, away);
      subscriptions.push(
        input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && settle(() => reject(new GoBack()))),
        input.onDidHide(() => (away.active ? (away.hidden = true) : settle(() => reject(new CancelledByUser())))),
      );
      input.show();
    });
  }
}
