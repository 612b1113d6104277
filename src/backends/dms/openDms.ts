import { homedir } from 'node:os';
import { DbTicketsError } from '../../core/errors';
import { createDispatcher, type NetSettings } from '../../net/dispatcher';
import { HttpClient } from '../../net/httpClient';
import type { ProfileBase } from '../backendModule';
import { CreateJournal } from '../createJournal';
import { resolveAccessKey } from './credentials';
import { DmsBackend, type DmsBackendOptions } from './dmsBackend';
import { DmsProfile, dmsDefaultTimeoutMs, endpointOf, ossEndpointOf, parseOssLocation } from './dmsProfile';
import { OssStager } from './ossStaging';
import { RpcClient } from './rpcClient';

export interface DmsHost {
  /** Where the backend keeps what must outlive a run (the create journal). */
  storeDir: string;
  secret: (profile: string, field: string) => Promise<string | undefined>;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  net?: NetSettings;
  log?: (line: string) => void;
}

/** Validates a DMS profile and opens its backend; credentials are looked up on each call, never stored. */
export function openDmsBackend(config: ProfileBase, host: DmsHost, tuning: Omit<DmsBackendOptions, 'profile' | 'client' | 'http' | 'journal' | 'stager'> = {}): DmsBackend {
  const parsed = DmsProfile.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DbTicketsError('config', `Profile "${config.name}": ${issue.path.join('.') || 'profile'}: ${issue.message}`);
  }
  const profile = parsed.data;
  const env = host.env ?? process.env;
  let endpoint: URL;
  let ossEndpoint: URL | undefined;
  try {
    endpoint = endpointOf(profile, env);
    ossEndpoint = profile.ossStaging ? ossEndpointOf(profile, env) : undefined;
  } catch (error) {
    throw new DbTicketsError('config', `Profile "${profile.name}": ${(error as Error).message}`);
  }
  const dispatcher = createDispatcher(host.net, env);
  const http = new HttpClient(dispatcher);
  const accessKey = () =>
    resolveAccessKey({ profileName: profile.name, secret: (field) => host.secret(profile.name, field), env, homeDir: host.homeDir ?? homedir(), aliyunProfile: profile.aliyunProfile });
  const client = new RpcClient({
    endpoint,
    profile: profile.name,
    signatureVersion: profile.signatureVersion ?? 'v3',
    tid: profile.tid,
    timeoutMs: profile.timeoutMs ?? dmsDefaultTimeoutMs,
    http,
    log: host.log,
    accessKey,
  });
  const location = profile.ossStaging ? parseOssLocation(profile.ossStaging) : undefined;
  const stager =
    location && ossEndpoint
      ? new OssStager({ location, endpoint: ossEndpoint, region: profile.region, accessKey, dispatcher, client, profileName: profile.name, timeoutMs: Math.max(profile.timeoutMs ?? dmsDefaultTimeoutMs, 120_000), pollMs: tuning.pollMs })
      : undefined;
  const journal = CreateJournal.of(host.storeDir, 'dms', profile.name);
  return new DmsBackend({ ...tuning, profile, client, http, journal, stager });
}
