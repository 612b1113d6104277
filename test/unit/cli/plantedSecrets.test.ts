import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeDms } from '../../fakes/dms/fakeDms';
import { startFake } from '../../fakes/dms/harness';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli as dbTickets } from '../../support/runCli';

/** Every file below `folder`, recursively. */
function filesBelow(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

/**
 * Secrets planted in the environment never show anywhere a user or a log collector could see them: standard output,
 * standard error with debug logging on, error messages, the store, the create journal, or downloaded results —
 * whether the calls succeed or the service refuses them.
 */
describe('planted secrets', function () {
  this.timeout(120_000);
  let fake: FakeDms;
  afterEach(() => fake.stop());

  it('never appear in output, debug logs, errors or files, across a ticket\'s life and its failures', async () => {
    fake = await startFake();
    const secret = 'PLANTED-secret-0123456789';
    const token = 'PLANTED-sts-token-abcdef';
    fake.addAccessKey('planted-ak', { secret, securityToken: token }, '101');
    const env = cliSandbox({ profiles: [{ name: 'dms', backend: 'dms', endpoint: fake.url, timeoutMs: 3000 }] });
    Object.assign(env, { ALIBABA_CLOUD_ACCESS_KEY_ID: 'planted-ak', ALIBABA_CLOUD_ACCESS_KEY_SECRET: secret, ALIBABA_CLOUD_SECURITY_TOKEN: token, DB_TICKETS_DEBUG: '1' });
    const outputs: string[] = [];
    const run = async (args: string[], stdin = '') => {
      const result = await dbTickets(env, ['--profile', 'dms', ...args], stdin);
      outputs.push(result.stdout, result.stderr);
      return result;
    };
    const created = await run(['create', '--kind', 'export', '--db', 'shop_prod', '--reason', 'audit', '--key', 'planted-run', '--json'], 'SELECT id FROM customers;');
    assert.equal(created.code, 0, created.stderr);
    const { id } = JSON.parse(created.stdout);
    await run(['list']);
    await run(['show', id]);
    await run(['check']);
    // A refused call echoes the server's string to sign, which holds the STS token of a V1 request.
    fake.inject({ kind: 'successFalse', action: 'GetOrderBaseInfo', code: 'SignatureDoesNotMatch', message: `The request signature does not conform. server string to sign is:GET&%2F&SecurityToken%3D${encodeURIComponent(token)}` });
    const refused = await run(['show', id]);
    assert.equal(refused.code, 1);
    await run(['--json', 'show', 'not-a-number']);

    assert.ok(outputs.join('').includes('db-tickets: '), 'the debug log was on');
    const files = filesBelow(env.HOME!);
    assert.ok(files.some((file) => file.includes('dms-creates')), 'the create journal was written');
    for (const [where, text] of [...outputs.map((o, i) => [`output ${i}`, o] as const), ...files.map((file) => [file, readFileSync(file, 'latin1')] as const)]) {
      for (const planted of [secret, token, encodeURIComponent(token)]) assert.ok(!text.includes(planted), `${where} holds a secret`);
    }
  });
});
