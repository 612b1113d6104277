import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program';
import type { FakeOsm } from '../../fakes/huawei/fakeOsm';
import { startFakeOsm } from '../../fakes/huawei/harness';
import { checkJsonShape, type CliJsonCommand, cliJsonShapes } from '../../support/cliJsonShapes';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli } from '../../support/runCli';
import { huaweiCliEnvironment } from '../backends/huawei/cliEnvironment';

/** Every command of the program, subcommands by their full name (`store check`). */
function commandNames(command: Command, prefix = ''): string[] {
  return command.commands.flatMap((sub) => (sub.commands.length > 0 ? commandNames(sub, `${prefix}${sub.name()} `) : [`${prefix}${sub.name()}`])).filter((name) => name !== 'help');
}

describe('db-tickets --json: every command prints its documented, versioned shape (docs/cli-json.md)', function () {
  this.timeout(120_000);
  const checked = new Set<CliJsonCommand>();

  /** Runs `db-tickets ARGS --json`, expects exit 0, and checks each line against the shape of `command`. */
  async function json(env: NodeJS.ProcessEnv, command: CliJsonCommand, args: string[], stdin = ''): Promise<Record<string, unknown>> {
    const run = await runCli(env, [...args, '--json'], stdin);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    assert.ok(command === 'watch' || lines.length === 1, `one object, not ${run.stdout}`);
    for (const line of lines) assert.equal(Object.keys(JSON.parse(line))[0], 'schemaVersion', 'schemaVersion comes first');
    const objects = lines.map((line) => checkJsonShape(command, line));
    checked.add(command);
    return objects.at(-1)!;
  }

  it('on the Local profile and its demo database', async () => {
    const env = cliSandbox();
    const sql = 'SELECT id, email FROM customers ORDER BY id LIMIT 2;\n';
    await json(env, 'analyze', ['analyze'], 'SELECT 1;\nDROP TABLE t;\n');
    writeFileSync(join(env.HOME!, 'a.sql'), 'SELECT 1;\n');
    writeFileSync(join(env.HOME!, 'b.sql'), 'DROP TABLE t;\n');
    const several = await runCli(env, ['analyze', 'a.sql', 'b.sql', '--json']);
    assert.deepEqual(several.stdout.trim().split('\n').map((line) => (checkJsonShape('analyze', line) as { file?: string }).file), ['a.sql', 'b.sql']);
    const draft = await json(env, 'draft', ['draft', '--kind', 'export', '--db', 'demo', '--reason', 'shapes'], sql);
    writeFileSync(join(env.HOME!, 'draft.sql'), draft.draft as string);
    const submitted = await json(env, 'submit', ['submit', 'draft.sql']);
    const { id } = await json(env, 'create', ['create', '--kind', 'export', '--db', 'demo', '--reason', 'shapes'], sql);
    await json(env, 'list', ['list']);
    await json(env, 'comment', ['comment', String(id), 'looks right']);
    await json(env, 'approve', ['approve', String(id)]);
    await json(env, 'execute', ['execute', String(id)]);
    await json(env, 'download', ['download', String(id), '--out', join(env.HOME!, 'out.csv')]);
    await json(env, 'watch', ['watch', String(id)]);
    const detail = await json(env, 'show', ['show', String(id)]);
    assert.ok(Array.isArray(detail.history) && detail.history.length >= 4);
    await json(env, 'reject', ['reject', String(submitted.id), '--comment', 'not now']);
    const another = await json(env, 'create', ['create', '--kind', 'export', '--db', 'demo', '--reason', 'shapes'], sql);
    await json(env, 'cancel', ['cancel', String(another.id)]);
    await json(env, 'check', ['check']);
    await json(env, 'store check', ['store', 'check']);
  });

  describe('on a service with more operations (fake Huawei Cloud OSM)', () => {
    let fake: FakeOsm;
    let env: NodeJS.ProcessEnv;
    const hw = (command: CliJsonCommand, ...args: string[]) => json(env, command, ['--profile', 'hw', ...args]);
    const create = async (title: string) => String((await json(env, 'create', ['--profile', 'hw', 'create', '--kind', 'change', '--db', 'shop', '--title', title, '--reason', 'shapes'], 'UPDATE orders SET status = 2 WHERE id = 7;\n')).id);
    beforeEach(async () => {
      fake = await startFakeOsm();
      env = huaweiCliEnvironment(fake);
    });
    afterEach(() => fake.stop());

    it('relate, attachments, urge, close, score, cancel and delete', async () => {
      const [a, b] = [await create('A'), await create('B')];
      await hw('relate', 'relate', a, b);
      await hw('attachments', 'attachments', a);
      const withFile = String((await json(env, 'create', ['--profile', 'hw', 'create', '--kind', 'change', '--db', 'shop', '--title', 'Long', '--reason', 'shapes'], `UPDATE orders SET note = 'x' WHERE id IN (${Array.from({ length: 400 }, (_, i) => i + 1).join(', ')});\n`)).id);
      const { items } = await hw('attachments', 'attachments', withFile);
      assert.equal((items as unknown[]).length, 1, 'the long SQL went as an attachment');
      await hw('attachments --download', 'attachments', withFile, '--download', (items as Array<{ name: string }>)[0].name, '--out', join(env.HOME!, 'sql.txt'));
      await hw('urge', 'urge', a);
      fake.setNativeStatus(a, 2); // waits for the submitter's confirmation
      await hw('close', 'close', a);
      fake.setNativeStatus(b, 3);
      await hw('score', 'score', b, '--rating', '5');
      await hw('cancel', 'cancel', withFile);
      await hw('delete', 'delete', withFile);
    });
  });

  // Last: mocha runs a suite's own tests before its nested suites, so this one is nested too.
  describe('coverage', () => {
    it('every command has a documented shape, checked here or where its service is at hand', () => {
      const commands = commandNames(buildProgram());
      // `mcp` prints the Model Context Protocol's messages on standard output, never --json objects.
      const withoutJson = ['mcp'];
      assert.deepEqual(commands.filter((name) => !(name in cliJsonShapes) && !withoutJson.includes(name)), [], 'commands without a shape in docs/cli-json.md');
      // Checked beside the tests of the services that have them: transfer (DMS, test/unit/cli/dms.test.ts), reopen
      // (ZStack, zstackCli.test.ts), store init and store migrate (PostgreSQL, test/conformance/teamStoreCli.test.ts).
      const elsewhere = ['transfer', 'reopen', 'store init', 'store migrate'];
      assert.deepEqual(commands.filter((name) => !checked.has(name as CliJsonCommand) && !elsewhere.includes(name) && !withoutJson.includes(name)), []);
    });
  });
});
