import * as vscode from 'vscode';

/**
 * Changes a list setting (`dbTickets.profiles`, `dbTickets.connections`) in the user settings, where profiles and
 * connections live (their scope is `application`).
 */
export async function updateUserList<T>(setting: 'profiles' | 'connections', change: (items: T[]) => T[]): Promise<void> {
  const settings = vscode.workspace.getConfiguration('dbTickets');
  const current = settings.inspect<T[]>(setting)?.globalValue ?? [];
  await settings.update(setting, change([...current]), vscode.ConfigurationTarget.Global);
}

/** Replaces the item named `name` (appending when the user settings do not have it yet, as for built-in ones). */
export function replaceNamed<T extends { name: string }>(items: T[], name: string, item: T): T[] {
  return items.some((i) => i.name === name) ? items.map((i) => (i.name === name ? item : i)) : [...items, item];
}
