import { DbTicketsError } from '../../core/errors';
import { createDispatcher, type NetSettings } from '../../net/dispatcher';
import { HttpClient } from '../../net/httpClient';
import type { RetryPolicy } from '../../net/retry';
import type { ProfileBase } from '../backendModule';
import { CreateJournal } from '../createJournal';
import { accessKeyOf, configuredDomainId, passwordOf, type SecretSource } from './credentials';
import { HuaweiBackend, type Identity } from './huaweiBackend';
import { endpointsOf, HuaweiProfile } from './huaweiProfile';
import { IamTokenAuthenticator } from './iamToken';
import { AkSkAuthenticator, OsmClient } from './osmClient';

export interface HuaweiHost extends SecretSource {
  /** Where the backend keeps what must outlive a run (the create journal). */
  storeDir: string;
  language?: string;
  net?: NetSettings;
  log?: (line: string) => void;
}

export interface HuaweiTuning {
  timeoutMs?: number;
  retry?: RetryPolicy;
  lagWaitMs?: number;
  settleMs?: number;
}

/** Validates a Huawei Cloud profile and opens its backend; credentials are read, and tokens fetched, on first use. */
export function openHuaweiBackend(config: ProfileBase, host: HuaweiHost, tuning: HuaweiTuning = {}): HuaweiBackend {
  const parsed = HuaweiProfile.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DbTicketsError('config', `Profile "${config.name}": ${issue.path.join('.') || 'profile'}: ${issue.message}`);
  }
  const profile = parsed.data;
  const endpoints = endpointsOf(profile);
  const http = new HttpClient(createDispatcher(host.net, host.env));
  const client = new OsmClient({ osm: endpoints.osm, iam: endpoints.iam, profile: profile.name, http, language: host.language ?? 'en', intl: profile.site === 'intl', timeoutMs: tuning.timeoutMs, retry: tuning.retry, log: host.log });
  const configured = configuredDomainId(host, profile);
  let identity: (signal?: AbortSignal) => Promise<Identity>;

  if (profile.auth === 'token') {
    const token = new IamTokenAuthenticator(client, { domainName: profile.domainName!, userName: profile.userName!, password: () => passwordOf(host, profile) });
    client.attach(token);
    identity = async () => ({ domainId: configured ?? (await token.identity())?.domainId, domainName: profile.domainName, userName: profile.userName });
  } else {
    // The account as IAM sees it: GET /v3/auth/domains, signed without X-Domain-Id (the SDKs' own lookup).
    const lookup = async (signal?: AbortSignal) => {
      const answer = await client.call<{ domains?: Array<{ id?: string; name?: string }> }>('GET', '/v3/auth/domains', { server: 'iam', auth: 'signedOnly', action: 'looking up the account id in IAM', signal });
      const domain = answer.domains?.[0];
      if (!domain?.id) throw new DbTicketsError('config', `IAM lists no account for the access key of profile "${profile.name}": set "domainId" in the profile (or HUAWEICLOUD_SDK_DOMAIN_ID), from My Credentials in the console.`);
      return domain as { id: string; name?: string };
    };
    let looked: Promise<{ id: string; name?: string }> | undefined;
    const lookOnce = (signal?: AbortSignal) => {
      if (!looked) {
        looked = lookup(signal);
        looked.catch(() => (looked = undefined));
      }
      return looked;
    };
    client.attach(new AkSkAuthenticator(() => accessKeyOf(host, profile), async (signal) => configured ?? (await lookOnce(signal)).id));
    identity = async (signal) => {
      const domain = await lookOnce(signal);
      return { domainId: configured ?? domain.id, domainName: domain.name };
    };
  }
  const journal = CreateJournal.of(host.storeDir, 'huawei', profile.name);
  return new HuaweiBackend({ profile, client, http, identity, journal, timeoutMs: tuning.timeoutMs, lagWaitMs: tuning.lagWaitMs, settleMs: tuning.settleMs });
}
