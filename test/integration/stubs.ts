import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

type Window = typeof vscode.window;

/** Replaces one `vscode.window` function for a test (only the user's own choices are ever stubbed). */
export function stubWindow<K extends keyof Window>(name: K, impl: Window[K]): { calls: unknown[][]; restore: () => void } {
  const original = vscode.window[name];
  const calls: unknown[][] = [];
  (vscode.window as Record<K, unknown>)[name] = (...args: unknown[]) => {
    calls.push(args);
    return (impl as (...a: unknown[]) => unknown)(...args);
  };
  return { calls, restore: () => ((vscode.window as Record<K, unknown>)[name] = original) };
}

/** `stubWindow` for one suite: each stub is restored by running `restores` after the test. */
export function windowStubber(restores: Array<() => void>) {
  return <K extends keyof Window>(name: K, impl: Window[K]) => {
    const stub = stubWindow(name, impl);
    restores.push(stub.restore);
    return stub;
  };
}

export const extensionId = 'db-tickets.db-tickets';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded`);
  await extension.activate();
  return extension;
}

/** The host facts VS Code gives the extension — a storage folder and (empty) secret storage — for a test's own Backends. */
export function hostContext(storage: string): vscode.ExtensionContext {
  return { globalStorageUri: vscode.Uri.file(storage), secrets: { get: async () => undefined } } as unknown as vscode.ExtensionContext;
}

/** Points the `local` profile at a store of the test's own through the user settings; `undefined` restores them. */
export async function useLocalStore(store: string | undefined, actor = 'alice'): Promise<void> {
  const profiles = store === undefined ? undefined : [{ name: 'local', backend: 'local', store, actor }];
  await vscode.workspace.getConfiguration('dbTickets').update('profiles', profiles, vscode.ConfigurationTarget.Global);
}

/** Waits for something the workbench or the extension does in the background (a tab opening, a refresh). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`gave up waiting until ${what}`);
}

let sqlFiles = 0;

/**
 * Opens SQL in an editor from a file of its own. Not an untitled document: VS Code reuses "Untitled-1" once the
 * last one is closed, and the extension host can still hold the closed one's text under that name for a moment.
 */
export async function openSqlFile(content: string): Promise<vscode.TextEditor> {
  const file = join(mkdtempSync(join(tmpdir(), 'db-tickets-sql-')), `query-${++sqlFiles}.sql`);
  writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

/** Global state in memory, so a test starts with none of the extension's remembered values. */
export function memoryMemento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T) => (values.has(key) ? (values.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void values.set(key, value),
  } as vscode.Memento;
}
