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

export const extensionId = 'db-tickets.db-tickets';

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded`);
  await extension.activate();
  return extension;
}
