import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CredentialSources, resolveAccessKey } from '../../../../src/backends/dms/credentials';
import { DbTicketsError } from '../../../../src/core/errors';

function home(config?: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'dms-cred-'));
  if (config !== undefined) {
    mkdirSync(join(dir, '.aliyun'));
    writeFileSync(join(dir, '.aliyun', 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  }
  return dir;
}

const aliyunConfig = {
  current: 'default',
  profiles: [
    { name: 'default', mode: 'AK', access_key_id: 'cli-ak', access_key_secret: 'cli-secret', region_id: 'cn-hangzhou' },
    { name: 'sts', mode: 'StsToken', access_key_id: 'sts-ak', access_key_secret: 'sts-secret', sts_token: 'sts-token' },
    { name: 'role', mode: 'RamRoleArn', access_key_id: 'a', access_key_secret: 'b', ram_role_arn: 'acs:ram::1:role/x' },
  ],
  meta_path: '',
};

function sources(over: Partial<CredentialSources> = {}): CredentialSources {
  return { profileName: 'dms-prod', secret: async () => undefined, env: {}, homeDir: home(), ...over };
}

describe('DMS credentials', () => {
  it('takes the host secure storage first, with an optional STS token', async () => {
    const stored: Record<string, string> = { accessKeyId: 'stored-ak', accessKeySecret: 'stored-secret', securityToken: 'tok' };
    const key = await resolveAccessKey(sources({ secret: async (f) => stored[f], env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env' }, homeDir: home(aliyunConfig) }));
    assert.deepEqual(key, { accessKeyId: 'stored-ak', accessKeySecret: 'stored-secret', securityToken: 'tok', source: 'secure storage' });
  });

  it('then the ALIBABA_CLOUD_* environment variables', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'env-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'env-secret', ALIBABA_CLOUD_SECURITY_TOKEN: 'env-token' };
    assert.deepEqual(await resolveAccessKey(sources({ env, homeDir: home(aliyunConfig) })), { accessKeyId: 'env-ak', accessKeySecret: 'env-secret', securityToken: 'env-token', source: 'environment variables' });
  });

  it("then the Aliyun CLI's current profile, or the one named (AK and StsToken modes)", async () => {
    const dir = home(aliyunConfig);
    assert.deepEqual(await resolveAccessKey(sources({ homeDir: dir })), { accessKeyId: 'cli-ak', accessKeySecret: 'cli-secret', securityToken: undefined, source: 'Aliyun CLI profile "default"' });
    assert.deepEqual(await resolveAccessKey(sources({ homeDir: dir, aliyunProfile: 'sts' })), { accessKeyId: 'sts-ak', accessKeySecret: 'sts-secret', securityToken: 'sts-token', source: 'Aliyun CLI profile "sts"' });
    assert.equal((await resolveAccessKey(sources({ homeDir: dir, env: { ALIBABA_CLOUD_PROFILE: 'sts' } }))).accessKeyId, 'sts-ak');
    await assert.rejects(resolveAccessKey(sources({ homeDir: dir, env: { ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' } })), /No Alibaba Cloud AccessKey/);
  });

  it('explains each way the lookup can fail, naming what to set', async () => {
    const fails = async (over: Partial<CredentialSources>, pattern: RegExp) =>
      assert.rejects(resolveAccessKey(sources(over)), (e: DbTicketsError) => {
        assert.equal(e.kind, 'config');
        assert.match(e.message, pattern);
        return true;
      });
    await fails({}, /^No Alibaba Cloud AccessKey for profile "dms-prod": enter it in the profile's set-up \(stored in secure storage\), or set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure the Aliyun CLI \(`aliyun configure`\)\.$/);
    await fails({ secret: async (f) => (f === 'accessKeyId' ? 'x' : undefined) }, /has an AccessKey ID but no AccessKey secret in secure storage: enter both again/);
    await fails({ env: { ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' } }, /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set while its partner is/);
    await fails({ homeDir: home(aliyunConfig), aliyunProfile: 'role' }, /Aliyun CLI profile "role" uses mode RamRoleArn, which DB Tickets cannot read: use an AK or StsToken profile/);
    await fails({ homeDir: home(aliyunConfig), aliyunProfile: 'nope' }, /has no profile "nope" \(it has: default, sts, role\)/);
    await fails({ homeDir: home('{ not json') }, /is not valid JSON: run `aliyun configure` to rewrite it\./);
    await fails({ homeDir: home({ current: 'default', profiles: [{ name: 'default', mode: 'StsToken', access_key_id: 'a', access_key_secret: 'b' }] }) }, /\(mode StsToken\) lacks its AccessKey or STS token/);
  });

  it('never writes the Aliyun CLI file', async () => {
    const dir = home(aliyunConfig);
    const { statSync } = await import('node:fs');
    const before = statSync(join(dir, '.aliyun', 'config.json')).mtimeMs;
    await resolveAccessKey(sources({ homeDir: dir }));
    assert.equal(statSync(join(dir, '.aliyun', 'config.json')).mtimeMs, before);
  });
});
