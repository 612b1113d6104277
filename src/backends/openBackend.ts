import type { Backend } from '../core/backend/backend';
import { DbTicketsError } from '../core/errors';
import { english } from '../core/localizable';
import type { BackendHost, ProfileBase } from './backendModule';
import { backendModule } from './registry';
import { reportUnreadableAnswers } from './unreadableAnswers';

/**
 * A profile checked against its backend's schema: the parsed profile, or a config error that names the profile, the
 * field and the fix.
 */
export function parseProfile(profile: ProfileBase): ProfileBase {
  const module = backendModule(profile.backend);
  if (!module) throw new DbTicketsError('config', `Profile "${profile.name}": no backend is called "${profile.backend}".`);
  const parsed = module.profileSchema.safeParse(profile);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DbTicketsError('config', `Profile "${profile.name}": ${issue.path.join('.') || 'profile'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Opens the backend a profile names, with the host's facts. */
export async function openBackend(profile: ProfileBase, host: BackendHost): Promise<Backend> {
  const parsed = parseProfile(profile);
  const module = backendModule(parsed.backend)!;
  return reportUnreadableAnswers(await module.open(parsed, host), english(module.displayName));
}
