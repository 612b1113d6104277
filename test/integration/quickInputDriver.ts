import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { traceStep } from './failureReport';
import { stubWindow, until } from './stubs';

type Input = vscode.QuickPick<vscode.QuickPickItem & { value?: string }> | vscode.InputBox;

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Plays the user in multi-step quick inputs: it lets the extension create its real QuickPick and InputBox objects,
 * notes each one the extension shows, and answers it through the workbench's own quick-input commands (accept,
 * back), so the extension's event handlers run exactly as they do for a person at the keyboard.
 */
export class QuickInputDriver {
  private readonly queue: Input[] = [];
  private readonly waiting: Array<(input: Input) => void> = [];
  private readonly restores: Array<() => void> = [];
  /** The input shown last. */
  current: Input | undefined;

  constructor() {
    for (const factory of ['createQuickPick', 'createInputBox'] as const) {
      const original = vscode.window[factory].bind(vscode.window);
      const stub = stubWindow(factory, (() => {
        const input = original() as Input;
        const show = input.show.bind(input);
        input.show = () => {
          show();
          this.shown(input);
        };
        return input;
      }) as never);
      this.restores.push(stub.restore);
    }
  }

  private shown(input: Input): void {
    // Shown again after a dialog it opened (a folder picker): still the same step.
    if (input === this.current || this.queue.includes(input)) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter(input);
    else this.queue.push(input);
  }

  /** The next input the extension shows. */
  async next(): Promise<Input> {
    const input = this.queue.shift() ?? (await new Promise<Input>((resolve) => this.waiting.push(resolve)));
    this.current = input;
    traceStep(`shown: ${'items' in input ? `pick "${input.placeholder}" [${input.items.length} items]` : `box "${input.prompt}" = "${input.value}"`}`);
    // Let the extension's property updates reach the workbench before answering.
    await tick();
    await tick();
    return input;
  }

  async nextBox(): Promise<vscode.InputBox> {
    const input = await this.next();
    assert.ok(!('items' in input), `expected an input box, got a quick pick "${input.placeholder}"`);
    return input as vscode.InputBox;
  }

  async nextPick(): Promise<vscode.QuickPick<vscode.QuickPickItem & { value?: string }>> {
    const input = await this.next();
    assert.ok('items' in input, `expected a quick pick, got an input box "${(input as vscode.InputBox).prompt}"`);
    return input;
  }

  /** Types `text` into the next input box and presses Enter; returns the box (still open if the value was refused). */
  async enter(text: string, box?: vscode.InputBox): Promise<vscode.InputBox> {
    const target = box ?? (await this.nextBox());
    target.value = text;
    await this.accept();
    return target;
  }

  /** The next quick pick (or `pick`) once it has fetched its items (it is busy meanwhile). */
  async fetched(pick?: vscode.QuickPick<vscode.QuickPickItem>): Promise<vscode.QuickPick<vscode.QuickPickItem & { value?: string }>> {
    const target = pick ?? (await this.nextPick());
    await tick();
    await until(() => !target.busy, 'the quick pick has fetched its items');
    return target;
  }

  /** Chooses the item whose label matches in the next quick pick (or `pick`) once it has fetched its items. */
  async pickFetched(label: string | RegExp, pick?: vscode.QuickPick<vscode.QuickPickItem>): Promise<vscode.QuickPick<vscode.QuickPickItem & { value?: string }>> {
    return this.pick(label, await this.fetched(pick));
  }

  /** Chooses the item whose label matches in the next quick pick (or `pick`) and presses Enter. */
  async pick(label: string | RegExp, pick?: vscode.QuickPick<vscode.QuickPickItem>): Promise<vscode.QuickPick<vscode.QuickPickItem & { value?: string }>> {
    const target = pick ?? (await this.nextPick());
    const item = target.items.find((i) => (typeof label === 'string' ? i.label === label || i.label.endsWith(` ${label}`) : label.test(i.label)));
    assert.ok(item, `no item ${String(label)} in [${target.items.map((i) => i.label).join(', ')}]`);
    target.activeItems = [item];
    await this.accept();
    return target;
  }

  /** Presses Enter on the next input as it is (its pre-filled value or active item). */
  async keep(): Promise<Input> {
    const input = await this.next();
    await this.accept();
    return input;
  }

  /** Presses the Back button of the current input. */
  async back(): Promise<void> {
    await tick();
    await vscode.commands.executeCommand('workbench.action.quickInputBack');
  }

  /** Presses Enter on the current input. */
  async accept(): Promise<void> {
    await tick();
    await tick();
    traceStep(`accept${this.current && 'items' in this.current ? ` [${this.current.activeItems.map((i) => i.label).join(', ')}]` : ''}`);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await tick();
  }

  restore(): void {
    this.current?.hide();
    this.restores.splice(0).forEach((restore) => restore());
  }
}

export interface FlowAnswers {
  /** The label of the kind to choose; the suggested one when absent. Only asked by "Create Ticket". */
  kind?: string;
  /** The profile to choose; asked only when several are configured. */
  profile?: string;
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
    if (command === 'dbTickets.createTicket') await (answers.kind ? driver.pick(answers.kind) : driver.keep());
    if (answers.profile) await driver.pick(answers.profile);
    await driver.pick(answers.database ?? 'demo');
    await driver.enter(answers.title ?? 'Test ticket');
    await driver.enter(answers.reason ?? 'integration test');
    const stakeholders = await driver.nextPick();
    for (const name of answers.stakeholders ?? []) {
      stakeholders.value = name;
      const found = () => stakeholders.items.find((item) => item.label === `$(person) ${name}`);
      await until(() => found() !== undefined, `the search offers ${name}`);
      stakeholders.selectedItems = [...stakeholders.selectedItems, found()!];
    }
    // Exactly these: the ones remembered from before are unticked.
    const wanted = new Set((answers.stakeholders ?? []).map((name) => `$(person) ${name}`));
    stakeholders.selectedItems = stakeholders.selectedItems.filter((item) => wanted.has(item.label));
    await driver.accept();
    await driver.keep(); // estimated rows: as filled in
    traceStep('flow answered; waiting for the draft');
    await done;
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor?.document.uri.scheme === 'db-tickets-draft', 'no draft was opened');
    return editor;
  } finally {
    driver.restore();
  }
}
