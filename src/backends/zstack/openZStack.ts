import { DbTicketsError } from '../../core/errors';
import { createDispatcher, type NetSettings } from '../../net/dispatcher';
import { HttpClient } from '../../net/httpClient';
import type { ProfileBase } from '../backendModule';
import { ZStackSession } from './session';
import { ZStackBackend } from './zstackBackend';
import { ZStackClient, type ZStackClientOptions } from './zstackClient';
import { apiBaseOf, ZStackProfile } from './zstackProfile';

export interface ZStackHost {
  secret: (profile: string, field: string) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
  net?: NetSettings;
  log?: (line: string) => void;
}

export type ZStackTuning = Pick<ZStackClientOptions, 'pollMs' | 'jobWaitMs' | 'timeoutMs'>;

/** Validates a ZStack profile and opens its backend; it logs in on first use. */
export function openZStackBackend(config: ProfileBase, host: ZStackHost, tuning: ZStackTuning = {}): ZStackBackend {
  const parsed = ZStackProfile.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DbTicketsError('config', `Profile "${config.name}": ${issue.path.join('.') || 'profile'}: ${issue.message}`);
  }
  const profile = parsed.data;
  let base: URL;
  try {
    base = apiBaseOf(profile.endpoint);
  } catch (error) {
    throw new DbTicketsError('config', `Profile "${profile.name}": ${(error as Error).message}`);
  }
  const env = host.env ?? process.env;
  const http = new HttpClient(createDispatcher(host.net, env));
  // The stored secret first, then ZSTACK_PASSWORD.
  const session = new ZStackSession(profile, async () => (await host.secret(profile.name, 'password')) || env.ZSTACK_PASSWORD || undefined);
  const client = new ZStackClient({ base, profile: profile.name, http, log: host.log, pollMs: tuning.pollMs, jobWaitMs: tuning.jobWaitMs, timeoutMs: tuning.timeoutMs }, session);
  session.attach(client);
  return new ZStackBackend({ profile, client, session, http });
}
