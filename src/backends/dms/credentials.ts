import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DbTicketsError } from '../../core/errors';

/** An Alibaba Cloud AccessKey pair, with an STS token when it is temporary. */
export interface AccessKey {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** Where it came from, for messages: "secure storage", "environment variables", "Aliyun CLI profile \"x\"". */
  source: string;
}

export interface CredentialSources {
  profileName: string;
  /** The host's secure storage (SecretStorage in the extension; nothing in the CLI). */
  secret: (field: string) => Promise<string | undefined>;
  env: NodeJS.ProcessEnv;
  homeDir: string;
  /** The Aliyun CLI profile to use instead of the config's current one. */
  aliyunProfile?: string;
}

/**
 * The first AccessKey found in: the host's secure storage, the ALIBABA_CLOUD_* environment variables, the Aliyun
 * CLI's ~/.aliyun/config.json (AK and StsToken profiles; read, never written).
 */
export async function resolveAccessKey(sources: CredentialSources): Promise<AccessKey> {
  return (await fromSecureStorage(sources)) ?? fromEnvironment(sources.env) ?? (await fromAliyunCli(sources)) ?? missing(sources);
}

async function fromSecureStorage({ secret, profileName }: CredentialSources): Promise<AccessKey | undefined> {
  const [accessKeyId, accessKeySecret, securityToken] = await Promise.all([secret('accessKeyId'), secret('accessKeySecret'), secret('securityToken')]);
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret) {
    throw new DbTicketsError(
      'config',
      `Profile "${profileName}" has ${accessKeyId ? 'an AccessKey ID but no AccessKey secret' : 'an AccessKey secret but no AccessKey ID'} in secure storage: enter both again in the profile's set-up.`,
    );
  }
  return { accessKeyId, accessKeySecret, securityToken: securityToken || undefined, source: 'secure storage' };
}

function fromEnvironment(env: NodeJS.ProcessEnv): AccessKey | undefined {
  const accessKeyId = env.ALIBABA_CLOUD_ACCESS_KEY_ID;
  const accessKeySecret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET;
  if (!accessKeyId && !accessKeySecret) return undefined;
  if (!accessKeyId || !accessKeySecret) {
    const missingName = accessKeyId ? 'ALIBABA_CLOUD_ACCESS_KEY_SECRET' : 'ALIBABA_CLOUD_ACCESS_KEY_ID';
    throw new DbTicketsError('config', `${missingName} is not set while its partner is: set both AccessKey variables, or neither to use the Aliyun CLI's profile.`);
  }
  return { accessKeyId, accessKeySecret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined, source: 'environment variables' };
}

interface AliyunCliProfile {
  name?: string;
  mode?: string;
  access_key_id?: string;
  access_key_secret?: string;
  sts_token?: string;
}

async function fromAliyunCli({ env, homeDir, aliyunProfile }: CredentialSources): Promise<AccessKey | undefined> {
  if (env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED?.toLowerCase() === 'true') return undefined;
  const file = join(homeDir, '.aliyun', 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new DbTicketsError('config', `The Aliyun CLI configuration ${file} cannot be read (${(error as NodeJS.ErrnoException).code}): check its permissions.`, { cause: error });
  }
  let config: { current?: string; profiles?: AliyunCliProfile[] };
  try {
    config = JSON.parse(text);
  } catch {
    throw new DbTicketsError('config', `The Aliyun CLI configuration ${file} is not valid JSON: run \`aliyun configure\` to rewrite it.`);
  }
  const wanted = aliyunProfile || env.ALIBABA_CLOUD_PROFILE || config.current || 'default';
  const profiles = Array.isArray(config.profiles) ? config.profiles : [];
  const profile = profiles.find((p) => p?.name === wanted);
  if (!profile) {
    const names = profiles.map((p) => p?.name).filter(Boolean).join(', ') || 'none';
    throw new DbTicketsError('config', `The Aliyun CLI configuration ${file} has no profile "${wanted}" (it has: ${names}): name one of them, or run \`aliyun configure --profile ${wanted}\`.`);
  }
  const source = `Aliyun CLI profile "${wanted}"`;
  const mode = profile.mode ?? 'AK';
  if (mode !== 'AK' && mode !== 'StsToken') {
    throw new DbTicketsError(
      'config',
      `${source} uses mode ${mode}, which DB Tickets cannot read: use an AK or StsToken profile, or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN).`,
    );
  }
  if (!profile.access_key_id || !profile.access_key_secret || (mode === 'StsToken' && !profile.sts_token)) {
    throw new DbTicketsError('config', `${source} (mode ${mode}) lacks ${mode === 'StsToken' ? 'its AccessKey or STS token' : 'its AccessKey'}: run \`aliyun configure --profile ${wanted}\` again.`);
  }
  return { accessKeyId: profile.access_key_id, accessKeySecret: profile.access_key_secret, securityToken: mode === 'StsToken' ? profile.sts_token : undefined, source };
}

function missing({ profileName }: CredentialSources): never {
  throw new DbTicketsError(
    'config',
    `No Alibaba Cloud AccessKey for profile "${profileName}": enter it in the profile's set-up (stored in secure storage), or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure the Aliyun CLI (\`aliyun configure\`).`,
  );
}
