import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { amount, elapsed } from '../../../src/cli/progress';
import { paintStatuses } from '../../../src/cli/statusColours';
import { colourOn } from '../../../src/cli/terminalText';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli } from '../../support/runCli';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
// eslint-disable-next-line no-control-regex -- escape sequences are what is looked for
const colourCode = /\x1b\[[0-9;]*m/;

/**
 * Runs `db-tickets ARGS` on a pseudo-terminal (util-linux `script`), as in a terminal window: standard output and
 * standard error both go to the terminal, unless `redirect` (shell words, e.g. `2>file`) sends one elsewhere.
 * Returns what the terminal showed.
 */
function onTerminal(env: NodeJS.ProcessEnv, args: string[], redirect = ''): Promise<{ code: number | null; shown: string }> {
  const command = `${[process.execPath, cli, ...args].map(quote).join(' ')} ${redirect}`;
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { env: { ...inherited, ...env }, cwd: env.HOME, stdio: ['ignore', 'pipe', 'pipe'] });
    let shown = '';
    child.stdout.on('data', (d) => (shown += d));
    child.stderr.on('data', (d) => (shown += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, shown }));
  });
}

describe('db-tickets on a terminal: progress on standard error, colours', function () {
  this.timeout(120_000);

  describe('when to colour', () => {
    it('on a terminal unless NO_COLOR; FORCE_COLOR forces it either way (0 or false turns it off)', () => {
      const tty = { isTTY: true };
      const pipe = { isTTY: false };
      assert.equal(colourOn(tty, {}), true);
      assert.equal(colourOn(pipe, {}), false);
      assert.equal(colourOn(tty, { NO_COLOR: '1' }), false);
      assert.equal(colourOn(tty, { NO_COLOR: '' }), true, 'an empty NO_COLOR is not set');
      assert.equal(colourOn(tty, { TERM: 'dumb' }), false);
      assert.equal(colourOn(pipe, { FORCE_COLOR: '1' }), true);
      assert.equal(colourOn(pipe, { FORCE_COLOR: '' }), true);
      assert.equal(colourOn(tty, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
      assert.equal(colourOn(tty, { FORCE_COLOR: '0' }), false);
      assert.equal(colourOn(tty, { FORCE_COLOR: 'false' }), false);
    });

    it("colours the status that ends a summary line, and nothing in a ticket's own text", () => {
      assert.equal(paintStatuses('#3 Export — succeeded\n', true), '#3 Export — \x1b[32msucceeded\x1b[0m\n');
      assert.equal(paintStatuses('#3 Export — pending approval [toaudit]\n', true), '#3 Export — \x1b[33mpending approval\x1b[0m [toaudit]\n');
      assert.equal(paintStatuses('#4 Fix — rejected\n', false), '#4 Fix — rejected\n');
      assert.equal(paintStatuses('#5 failed — then succeeded in title — unknown (X)\n', true), '#5 failed — then succeeded in title — unknown (X)\n');
    });

    it('counts rows and bytes, and time, in short words', () => {
      assert.deepEqual([amount(1, 'rows'), amount(12345, 'rows'), amount(512, 'bytes'), amount(1536, 'bytes'), amount(5 * 1024 ** 3, 'bytes')], ['1 row', '12,345 rows', '512 B', '1.5 KiB', '5.0 GiB']);
      assert.deepEqual([elapsed(999), elapsed(7_400), elapsed(125_000), elapsed(3_720_000)], ['0s', '7s', '2m05s', '1h02m']);
    });
  });

  describe('the command', () => {
    let env: NodeJS.ProcessEnv;
    /** An approved export, and one that ran. */
    let approved: string;
    let id: string;
    before(async () => {
      env = cliSandbox();
      const approve = async () => {
        const created = await runCli(env, ['--json', 'create', '--kind', 'export', '--db', 'demo', '--reason', 'terminal'], 'SELECT id, email FROM customers ORDER BY id LIMIT 50;\n');
        assert.equal(created.code, 0, created.stderr);
        const ticket = (JSON.parse(created.stdout) as { id: string }).id;
        assert.equal((await runCli(env, ['approve', ticket])).code, 0);
        return ticket;
      };
      approved = await approve();
      id = await approve();
      assert.equal((await runCli(env, ['execute', id])).code, 0);
    });

    it('execute on a terminal: a progress line, redrawn in place and erased before the coloured result', async () => {
      const { code, shown } = await onTerminal(env, ['execute', approved]);
      assert.equal(code, 0, shown);
      assert.match(shown, new RegExp(`\\rExecuting #${approved}  \\x1b\\[2m\\d+s\\x1b\\[0m\\x1b\\[K`), 'the first drawing: what, and the time so far');
      assert.match(shown, /\r\x1b\[K#\d+ Export customers — \x1b\[32msucceeded\x1b\[0m/, 'erased, then the result in green'); // eslint-disable-line no-control-regex
    });

    it('download on a terminal with NO_COLOR: the progress line without colours; with standard error in a file: none', async () => {
      const plain = await onTerminal({ ...env, NO_COLOR: '1' }, ['download', id, '--out', 'a.csv']);
      assert.equal(plain.code, 0, plain.shown);
      assert.match(plain.shown, new RegExp(`\\rDownloading the result of #${id}.*\\x1b\\[K`));
      assert.match(plain.shown, /Saved \d+ bytes to .*a\.csv/);
      assert.doesNotMatch(plain.shown, colourCode);
      const redirected = await onTerminal(env, ['download', id, '--out', 'b.csv'], '2>stderr.txt');
      assert.equal(redirected.code, 0, redirected.shown);
      assert.match(redirected.shown, /Saved \d+ bytes/);
      assert.doesNotMatch(redirected.shown, /Downloading/);
      assert.equal(readFileSync(join(env.HOME!, 'stderr.txt'), 'utf8'), '');
    });

    it('watch on a terminal shows what it watches, and erases it when the ticket has ended', async () => {
      const { code, shown } = await onTerminal({ ...env, FORCE_COLOR: '0' }, ['watch', id]);
      assert.equal(code, 0, shown);
      assert.match(shown, /— succeeded/);
      assert.doesNotMatch(shown, colourCode, 'FORCE_COLOR=0 turns colours off on a terminal too');
      assert.match(shown, new RegExp(`\\rWatching #${id}  \\d+s\\x1b\\[K\\r\\x1b\\[K#${id} Export customers — succeeded\\r\\n$`), 'drawn, erased before the change is printed, and not drawn again');
    });

    it('on pipes: no progress and no colours; FORCE_COLOR colours the result and the error prefix', async () => {
      const piped = await runCli(env, ['download', id, '--out', 'c.csv']);
      assert.equal(piped.code, 0, piped.stderr);
      assert.equal(piped.stderr, '');
      assert.doesNotMatch(piped.stdout, colourCode);
      const shown = await runCli({ ...env, FORCE_COLOR: '1' }, ['show', id]);
      assert.match(shown.stdout, /^#\d+ Export customers — \x1b\[32msucceeded\x1b\[0m$/m); // eslint-disable-line no-control-regex
      const missing = await runCli({ ...env, FORCE_COLOR: '1' }, ['show', '424242']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^\x1b\[31mdb-tickets:\x1b\[0m /); // eslint-disable-line no-control-regex
    });
  });
});
