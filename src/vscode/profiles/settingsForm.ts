import * as vscode from 'vscode';
import { CancelledByUser } from '../shared/log';
import { type FlowStep, MultiStepInput } from '../shared/multiStepInput';

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
  /** For picks: choices that take a moment to fetch (from the service), listed after `choices` when they arrive. */
  load?: (values: FormValues) => Promise<Choice[]>;
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

/**
 * Asks for the fields one step at a time (see `MultiStepInput`: Back buttons, a `step/total` indicator, values
 * refused inline). Returns the answers, or undefined when the user closes the form.
 */
export async function runForm(fields: Field[], initial: FormValues, options: FormOptions): Promise<FormValues | undefined> {
  const steps = fields.map(
    (field): FlowStep<FormValues> => ({
      skip: (values) => !(field.when?.(values) ?? true),
      ask: async (input, values) => {
        const answer = field.kind === 'pick' ? await askPick(input, field, values) : await askText(input, field, values);
        // A secret left empty keeps what was typed on an earlier pass through the form.
        if (!(field.kind === 'secret' && answer === '' && values[field.key])) values[field.key] = answer;
      },
    }),
  );
  const startAt = options.startAt ? Math.max(0, fields.findIndex((field) => field.key === options.startAt)) : 0;
  try {
    return await MultiStepInput.run(options.title, steps, { ...initial }, { startAt, stepsAfter: options.stepsAfter });
  } catch (error) {
    if (error instanceof CancelledByUser) return undefined;
    throw error;
  }
}

async function askText(input: MultiStepInput, field: Field, values: FormValues): Promise<string> {
  const answer = await input.text({
    prompt: field.prompt,
    placeholder: field.placeholder,
    password: field.kind === 'secret',
    value: field.kind === 'secret' ? '' : values[field.key] || field.initial?.(values) || '',
    validate: (value) => field.validate?.(value.trim(), values),
  });
  return answer.trim();
}

async function askPick(input: MultiStepInput, field: Field, values: FormValues): Promise<string> {
  const choices = field.choices?.(values) ?? [];
  const current = choices.find((choice) => choice.value === values[field.key] && !choice.browse);
  const chosen = await input.pick<Choice>({
    placeholder: field.prompt,
    items: choices,
    active: current,
    // Fetched choices make the current value active once they arrive; typed text would hide them meanwhile.
    value: !current && field.freeText && !field.load ? values[field.key] : undefined,
    typed: field.freeText
      ? (typed) => {
          const text = typed.trim();
          return text && !choices.some((choice) => choice.value === text) ? { label: text, description: field.validate?.(text, values) ?? '', value: text } : undefined;
        }
      : undefined,
    complete: async (choice) => {
      if (!choice.browse) return choice;
      const [uri] = (await vscode.window.showOpenDialog(choice.browse)) ?? [];
      return uri && { ...choice, browse: undefined, value: uri.fsPath };
    },
    // A quick pick has no validation line: the problem replaces the prompt until the value is fixed.
    refuse: (choice) => field.validate?.(choice.value, values),
    load: field.load && { items: () => field.load!(values), isActive: (choice) => choice.value === values[field.key] && !choice.browse },
  });
  return chosen.value;
}
