import { DbTicketsError } from '../../core/errors';
import type { HuaweiProfile } from './huaweiProfile';

/** The secrets of a profile and the environment variables that supply them to the CLI (the SDKs' names). */
export const secretEnv = {
  accessKeyId: 'HUAWEICLOUD_SDK_AK',
  secretAccessKey: 'HUAWEICLOUD_SDK_SK',
  securityToken: 'HUAWEICLOUD_SDK_SECURITY_TOKEN',
  password: 'HUAWEICLOUD_SDK_PASSWORD',
} as const;
export const domainIdEnv = 'HUAWEICLOUD_SDK_DOMAIN_ID';

export interface SecretSource {
  secret: (profile: string, field: string) => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
}

export interface Found {
  value: string;
  /** Where it came from, for messages: "the stored secret accessKeyId" or the variable's name. */
  source: string;
}

/** A secret: the host's stored one first, then its environment variable. */
export async function readSecret(host: SecretSource, profile: string, key: keyof typeof secretEnv): Promise<Found | undefined> {
  const stored = (await host.secret(profile, key))?.trim();
  if (stored) return { value: stored, source: `the stored ${key}` };
  const fromEnv = host.env[secretEnv[key]]?.trim();
  return fromEnv ? { value: fromEnv, source: secretEnv[key] } : undefined;
}

export interface AccessKey {
  ak: string;
  sk: string;
  securityToken?: string;
  source: string;
}

export async function accessKeyOf(host: SecretSource, profile: HuaweiProfile): Promise<AccessKey> {
  const [ak, sk, token] = await Promise.all([readSecret(host, profile.name, 'accessKeyId'), readSecret(host, profile.name, 'secretAccessKey'), readSecret(host, profile.name, 'securityToken')]);
  if (!ak || !sk) {
    const missing = [!ak && 'access key ID', !sk && 'secret access key'].filter(Boolean).join(' and ');
    throw new DbTicketsError(
      'config',
      `No ${missing} for profile "${profile.name}": enter the access key with "DB Tickets: Edit Profile" in VS Code, or set ${secretEnv.accessKeyId} and ${secretEnv.secretAccessKey} for the CLI (with ${secretEnv.securityToken} for a temporary key).`,
    );
  }
  return { ak: ak.value, sk: sk.value, securityToken: token?.value, source: ak.source === secretEnv.accessKeyId ? `${secretEnv.accessKeyId} / ${secretEnv.secretAccessKey}` : 'the stored access key' };
}

export async function passwordOf(host: SecretSource, profile: HuaweiProfile): Promise<string> {
  const found = await readSecret(host, profile.name, 'password');
  if (!found) {
    throw new DbTicketsError('config', `No password for IAM user ${profile.userName ?? '?'} of profile "${profile.name}": enter it with "DB Tickets: Edit Profile" in VS Code, or set ${secretEnv.password} for the CLI.`);
  }
  return found.value;
}

/** The account id from the profile, else HUAWEICLOUD_SDK_DOMAIN_ID; undefined means look it up. */
export function configuredDomainId(host: SecretSource, profile: HuaweiProfile): string | undefined {
  return profile.domainId?.trim() || host.env[domainIdEnv]?.trim() || undefined;
}
