import * as z from '../core/zod';
import { ConnectionConfig, demoConnection } from './local/db/connectionConfig';
import { backendIds } from './registry';

/**
 * A backend profile: where tickets go. Here only what every profile has; `parseProfile` checks the backend's own
 * fields (endpoint, region, store …) against its module's schema.
 */
export const ProfileConfig = z.lazySchema(() =>
  z.looseObject({
    name: z.string().check(z.trim(), z.minLength(1, { error: 'Profile name is empty: give the profile a short name, e.g. "dms-prod".' })),
    backend: z.string({ error: `Backend must be one of ${backendIds.join(', ')}.` }).check(
      z.refine((id) => backendIds.includes(id), { error: `Backend must be one of ${backendIds.join(', ')}.` }),
    ),
  }),
);
export type ProfileConfig = z.infer<typeof ProfileConfig>;

/** The configuration both front ends share: backend profiles and the Local backend's database connections. */
export const DbTicketsConfig = z.lazySchema(() =>
  z.object({
    profiles: z._default(z.array(ProfileConfig), []),
    connections: z._default(z.array(ConnectionConfig), []),
  }),
);
export type DbTicketsConfig = z.infer<typeof DbTicketsConfig>;

/** The SecretStorage key of a profile's secret field; secrets never go to settings, logs or the store. */
export function secretKey(profile: string, field: string): string {
  return `dbTickets.secret.${profile}.${field}`;
}

/** The Local profile exists without any configuration. */
export const localProfile: ProfileConfig = { name: 'local', backend: 'local' };

/** Profiles with the built-in Local one first (unless configured under that name), and the demo connection. */
export function withBuiltIns(config: DbTicketsConfig): DbTicketsConfig {
  const hasLocal = config.profiles.some((p) => p.name === localProfile.name);
  const hasDemo = config.connections.some((c) => c.name === demoConnection.name);
  return {
    profiles: hasLocal ? config.profiles : [localProfile, ...config.profiles],
    connections: hasDemo ? config.connections : [demoConnection, ...config.connections],
  };
}

/** Duplicate names make `--profile NAME` and `--db NAME` ambiguous. */
export function duplicateNames(config: DbTicketsConfig): string[] {
  const problems: string[] = [];
  for (const [what, names] of [
    ['profile', config.profiles.map((p) => p.name)],
    ['connection', config.connections.map((c) => c.name)],
  ] as const) {
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) problems.push(`${what} "${name}" is defined twice: rename one of them.`);
      seen.add(name);
    }
  }
  return problems;
}
