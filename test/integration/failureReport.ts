import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as Mocha from 'mocha';
import * as vscode from 'vscode';

/**
 * What the tests' drivers did, in order, since the current test began; printed only when that test fails. Each
 * suite is bundled on its own, so the record lives on the global object, which they all share.
 */
const trace = ((globalThis as { dbTicketsTestTrace?: { steps: string[]; startedAt: number } }).dbTicketsTestTrace ??= { steps: [], startedAt: Date.now() });
const steps = trace.steps;

/** Notes a step of a test's driver (in memory only, so it cannot change the timing it is there to explain). */
export function traceStep(step: string): void {
  steps.push(`+${Date.now() - trace.startedAt} ms ${step}`);
}

/** The extension's Log channel as written to disk by VS Code. */
export function logFiles(): string[] {
  const root = dirname(vscode.workspace.workspaceFolders![0].uri.fsPath);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'chromium') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (name === 'DB Tickets.log') found.push(path);
    }
  };
  walk(root);
  return found;
}

/**
 * Root hooks: when a test fails, print the driver's steps and the end of the extension's log beside mocha's
 * report, so a failure on a machine nobody can log in to (CI) still says where it stopped.
 */
export const failureReport: Mocha.RootHookObject = {
  beforeEach() {
    steps.length = 0;
    trace.startedAt = Date.now();
  },
  afterEach(this: Mocha.Context) {
    if (this.currentTest?.state !== 'failed') return;
    const log = logFiles().flatMap((file) => readFileSync(file, 'utf8').trimEnd().split('\n')).slice(-30);
    const lines = [`--- "${this.currentTest.fullTitle()}" failed after ${Date.now() - trace.startedAt} ms`, 'driver steps:', ...(steps.length ? steps : ['(none)']), 'end of the DB Tickets log:', ...log];
    console.log(lines.map((line) => `  | ${line}`).join('\n'));
  },
};
