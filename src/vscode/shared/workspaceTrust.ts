import * as vscode from 'vscode';
import { backendModule } from '../../backends/registry';
import type { ProfileConfig } from '../../backends/profiles';
import { UserFacingError } from './log';

/**
 * Runs nothing against a database from an untrusted workspace (Restricted Mode): a Local profile's submit runs the
 * SQL in its precheck, and execute runs it for real. Cloud services run tickets on their side, so they stay usable.
 */
export function requireTrustToRunSql(profile: ProfileConfig, what: string): void {
  if (mayRunSql(profile)) return;
  throw new UserFacingError(
    vscode.l10n.t(
      '{0} runs SQL against your databases, which DB Tickets does not do in Restricted Mode: trust this workspace (Manage Workspace Trust) if you know where its SQL comes from, then try again.',
      what,
    ),
  );
}

/** Whether SQL may run against the profile's databases: always for cloud services, for Local ones in a trusted workspace. */
export function mayRunSql(profile: ProfileConfig): boolean {
  return vscode.workspace.isTrusted || !backendModule(profile.backend)?.usesConnections;
}
