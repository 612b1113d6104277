import type * as vscode from 'vscode';
import type { UserRef } from '../../core/backend/backend';

export type UserItem = vscode.QuickPickItem & { user: UserRef };

/** A user in a quick pick: the name, and the id beside it where the service's id is not the name. */
export function userItem(user: UserRef): UserItem {
  return { user, label: `$(person) ${user.name}`, description: user.id === user.name ? undefined : user.id };
}
