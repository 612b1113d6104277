import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

type Input = vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox;

/**
 * Answers the real quick inputs a command shows, as a user at the keyboard would: it sees each QuickPick or
 * InputBox when it is shown, sets the value or the active item, and runs the workbench's own Accept and Back
 * commands. Nothing of the command's flow is replaced.
 */
export class QuickInputDriver {
  private readonly shown: Input[] = [];
  private waiting: ((input: Input) => void) | undefined;
  private readonly originals = { createQuickPick: vscode.window.createQuickPick, createInputBox: vscode.window.createInputBox };

  constructor() {
    const watch = <T extends Input>(input: T): T => {
      const show = input.show.bind(input);
      input.show = () => {
        show();
        if (this.waiting) {
          const resolve = this.waiting;
          this.waiting = undefined;
          resolve(input);
        } else {
          this.shown.push(input);
        }
      };
      return input;
    };
    const window = vscode.window as { createQuickPick: unknown; createInputBox: unknown };
    window.createQuickPick = () => watch(this.originals.createQuickPick());
    window.createInputBox = () => watch(this.originals.createInputBox());
  }

  /** The next input the command shows. */
  next(timeoutMs = 20_000): Promise<Input> {
    const ready = this.shown.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no quick input was shown')), timeoutMs);
      this.waiting = (input) => {
        clearTimeout(timer);
        resolve(input);
      };
    });
  }

  async nextPick(): Promise<vscode.QuickPick<vscode.QuickPickItem>> {
    const input = await this.next();
    assert.ok('items' in input, `expected a quick pick, got an input box: ${(input as vscode.InputBox).prompt}`);
    return input;
  }

  async nextBox(): Promise<vscode.InputBox> {
    const input = await this.next();
    assert.ok(!('items' in input), `expected an input box, got a quick pick: ${input.placeholder}`);
    return input;
  }

  /** Types `value` into the next input box and presses Enter. */
  async type(value: string): Promise<vscode.InputBox> {
    const box = await this.nextBox();
    box.value = value;
    await accept();
    return box;
  }

  /** Makes the item whose label contains `label` active in the next quick pick and presses Enter. */
  async choose(label: string): Promise<vscode.QuickPick<vscode.QuickPickItem>> {
    const pick = await this.nextPick();
    const item = await eventually(() => pick.items.find((candidate) => candidate.label.includes(label)), `no item "${label}" in ${pick.items.map((i) => i.label).join(', ')}`);
    pick.activeItems = [item];
    await accept();
    return pick;
  }

  /** Presses Enter on the next input as it is. */
  async enter(): Promise<Input> {
    const input = await this.next();
    await accept();
    return input;
  }

  async back(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
  }

  restore(): void {
    Object.assign(vscode.window, this.originals);
  }
}

/**
 * Presses Enter. VS Code sends an input's changed value or active item to the workbench on a zero-delay timer, while
 * a command goes at once: wait for that timer first, as a user's keystrokes would.
 */
export async function accept(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/** Polls until `get` returns something (items of a live search arrive asynchronously). */
export async function eventually<T>(get: () => T | undefined, message: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface FlowAnswers {
  /** The label of the kind to choose; the suggested one when absent. Only asked by "Create Ticket". */
  kind?: string;
  database?: string;
  title?: string;
  reason?: string;
  /** Typed into the stakeholder search and chosen, one by one; no others. */
  stakeholders?: string[];
}

/** Runs a create command and answers its questions; resolves with the draft's editor. */
export async function createThroughFlow(command: string, answers: FlowAnswers = {}, ...args: unknown[]): Promise<vscode.TextEditor> {
  const driver = new QuickInputDriver();
  try {
    const done = vscode.commands.executeCommand(command, ...args);
    if (command === 'dbTickets.createTicket') await (answers.kind ? driver.choose(answers.kind) : driver.enter());
    await driver.choose(answers.database ?? 'demo');
    await driver.type(answers.title ?? 'Test ticket');
    await driver.type(answers.reason ?? 'integration test');
    const stakeholders = await driver.nextPick();
    for (const name of answers.stakeholders ?? []) {
      stakeholders.value = name;
      const found = await eventually(() => stakeholders.items.find((item) => item.label === `$(person) ${name}`), `no stakeholder ${name}`);
      stakeholders.selectedItems = [...stakeholders.selectedItems, found];
    }
    // Exactly these: the ones remembered from before are unticked.
    const wanted = new Set((answers.stakeholders ?? []).map((name) => `$(person) ${name}`));
    stakeholders.selectedItems = stakeholders.selectedItems.filter((item) => wanted.has(item.label));
    await accept();
    await driver.enter(); // estimated rows: as filled in
    await done;
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.uri.scheme === 'db-tickets-draft', 'no draft was opened');
    return editor;
  } finally {
    driver.restore();
  }
}
