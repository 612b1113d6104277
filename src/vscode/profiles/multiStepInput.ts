import * as vscode from 'vscode';

/** The answers of a form so far, by field key; every value is text ('' for "not set"). */
export type FormValues = Record<string, string>;

export interface Choice extends vscode.QuickPickItem {
  value: string;
  /** Asks for a folder or file when chosen, and takes its path as the value. */
  browse?: vscode.OpenDialogOptions;
}

/** One step of a multi-step form. Labels and messages are localized by the descriptor that builds it. */
export interface Field {
  key: string;
  prompt: string;
  kind: 'text' | 'secret' | 'pick';
  placeholder?: string;
  /** For text: the value offered when there is none yet, e.g. a driver's default port. */
  initial?: (values: FormValues) => string;
  /** For picks: the choices, given the answers so far. */
  choices?: (values: FormValues) => Choice[];
  /** For picks: whether typed text that matches no choice is taken as the value. */
  freeText?: boolean;
  /** The problem with a value, or undefined when it is fine; shown inline as the user types. */
  validate?: (value: string, values: FormValues) => string | undefined;
  /** Whether the step applies, given the answers so far. */
  when?: (values: FormValues) => boolean;
}

export interface FormOptions {
  title: string;
  /** Steps the caller shows after the form (e.g. a connection test), counted in the step indicator. */
  stepsAfter?: number;
  /** Start at this field (e.g. to fix it after a failed test) instead of the first. */
  startAt?: string;
}

const back = Symbol('back');
type Answer = string | typeof back | undefined;

/**
 * Asks for the fields one step at a time with a Back button and a `step/total` indicator; invalid values are
 * refused inline. Returns the answers, or undefined when the user closes the form; Back on the first step
 * returns 'back' so that a caller's earlier step can be shown again.
 */
export async function runForm(fields: Field[], initial: FormValues, options: FormOptions): Promise<FormValues | 'back' | undefined> {
  const values = { ...initial };
  const visible = () => fields.filter((field) => field.when?.(values) ?? true);
  let index = options.startAt ? Math.max(0, visible().findIndex((field) => field.key === options.startAt)) : 0;
  for (;;) {
    const steps = visible();
    if (index >= steps.length) return values;
    const field = steps[index];
    const ui = { title: options.title, step: index + 1, totalSteps: steps.length + (options.stepsAfter ?? 0) };
    const answer = field.kind === 'pick' ? await askPick(field, values, ui) : await askText(field, values, ui);
    if (answer === undefined) return undefined;
    if (answer === back) {
      if (index === 0) return 'back';
      index -= 1;
      continue;
    }
    // A secret left empty keeps what was typed on an earlier pass through the form.
    if (!(field.kind === 'secret' && answer === '' && values[field.key])) values[field.key] = answer;
    index += 1;
  }
}

interface StepUi {
  title: string;
  step: number;
  totalSteps: number;
}

function decorate(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, ui: StepUi): void {
  input.title = ui.title;
  input.step = ui.step;
  input.totalSteps = ui.totalSteps;
  input.ignoreFocusOut = true;
  input.buttons = ui.step > 1 ? [vscode.QuickInputButtons.Back] : [];
}

async function askText(field: Field, values: FormValues, ui: StepUi): Promise<Answer> {
  const box = vscode.window.createInputBox();
  decorate(box, ui);
  box.prompt = field.prompt;
  box.placeholder = field.placeholder;
  box.password = field.kind === 'secret';
  box.value = field.kind === 'secret' ? '' : values[field.key] || field.initial?.(values) || '';
  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise<Answer>((resolve) => {
      disposables.push(
        box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && resolve(back)),
        box.onDidChangeValue((value) => (box.validationMessage = field.validate?.(value.trim(), values))),
        box.onDidAccept(() => {
          const value = box.value.trim();
          const problem = field.validate?.(value, values);
          box.validationMessage = problem;
          if (!problem) resolve(value);
        }),
        box.onDidHide(() => resolve(undefined)),
      );
      box.show();
    });
  } finally {
    disposables.forEach((d) => d.dispose());
    box.dispose();
  }
}

async function askPick(field: Field, values: FormValues, ui: StepUi): Promise<Answer> {
  const pick = vscode.window.createQuickPick<Choice>();
  decorate(pick, ui);
  pick.placeholder = field.prompt;
  const choices = field.choices?.(values) ?? [];
  pick.items = choices;
  const current = choices.find((choice) => choice.value === values[field.key] && !choice.browse);
  if (current) pick.activeItems = [current];
  else if (field.freeText && values[field.key]) pick.value = values[field.key];
  const disposables: vscode.Disposable[] = [];
  let browsing = false;
  try {
    return await new Promise<Answer>((resolve) => {
      disposables.push(
        pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && resolve(back)),
        pick.onDidChangeValue((typed) => {
          if (!field.freeText) return;
          const text = typed.trim();
          const known = choices.some((choice) => choice.value === text);
          pick.items = text && !known ? [{ label: text, description: field.validate?.(text, values) ?? '', value: text }, ...choices] : choices;
        }),
        pick.onDidAccept(async () => {
          const chosen: Choice | undefined = pick.selectedItems[0] ?? pick.activeItems[0];
          const typed = pick.value.trim();
          let value = chosen?.value ?? (field.freeText ? typed : undefined);
          if (chosen?.browse) {
            // The dialog may itself be a quick input (in the browser) that hides this one for a while.
            browsing = true;
            const [uri] = (await vscode.window.showOpenDialog(chosen.browse)) ?? [];
            browsing = false;
            pick.show();
            if (!uri) return;
            value = uri.fsPath;
          }
          if (value === undefined) return;
          const problem = field.validate?.(value, values);
          if (problem) {
            // A quick pick has no validation line: the problem replaces the prompt until the value is fixed.
            pick.placeholder = problem;
            return;
          }
          resolve(value);
        }),
        pick.onDidHide(() => browsing || resolve(undefined)),
      );
      pick.show();
    });
  } finally {
    disposables.forEach((d) => d.dispose());
    pick.dispose();
  }
}
