import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxSqlBytes, readSqlInput } from '../../../src/cli/input';
import { DbTicketsError } from '../../../src/core/errors';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

function dbTickets(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: input ?? '' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('db-tickets analyze (the bundle)', () => {
  let dir: string;
  let exportFile: string;
  let dropFile: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'db-tickets-analyze-'));
    exportFile = join(dir, 'export.sql');
    writeFileSync(exportFile, '-- customers for the report\nSELECT *\nFROM customers;\n');
    dropFile = join(dir, 'drop.sql');
    writeFileSync(dropFile, 'ALTER TABLE t ADD c int;\nDROP TABLE old_t;\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the kind, each statement with its range and kind, and its risks; exit 0', () => {
    const { code, stdout, stderr } = dbTickets(['analyze', exportFile]);
    assert.equal(code, 0, stderr);
    assert.equal(
      stdout,
      [
        'Ticket kind: DATA_EXPORT (one read-only query)',
        'Dialect: generic',
        '',
        '1. 2:1-3:15  query (read-only)  SELECT * FROM customers',
        '   warning [select-star] SELECT * exports every column, including sensitive ones and any added later: list the columns the export needs.',
        '   info [export-without-limit] The export has no LIMIT, so it returns every matching row: add a LIMIT, or check the estimated row count before submitting.',
        '',
        '1 statement; 0 errors, 1 warning, 1 info',
        '',
      ].join('\n'),
    );
    assert.equal(stderr, '');
  });

  it('--json prints one object with the documented fields, from a subcommand or a global --json', () => {
    for (const args of [['analyze', '--json', dropFile], ['--json', 'analyze', dropFile]]) {
      const { code, stdout } = dbTickets(args);
      assert.equal(code, 0);
      assert.deepEqual(JSON.parse(stdout), {
        schemaVersion: 1,
        dialect: 'generic',
        ticketKind: 'SCHEMA_CHANGE',
        reason: '2 DDL statements',
        statements: [
          { index: 1, text: 'ALTER TABLE t ADD c int', start: { line: 1, column: 1 }, end: { line: 1, column: 24 }, kind: 'ddl', risks: [] },
          {
            index: 2,
            text: 'DROP TABLE old_t',
            start: { line: 2, column: 1 },
            end: { line: 2, column: 17 },
            kind: 'ddl',
            risks: [
              {
                rule: 'drop-object',
                severity: 'error',
                message: 'DROP TABLE deletes the table and all its data for good: check the name, and make sure a backup exists.',
              },
            ],
          },
        ],
      });
    }
  });

  it('reads standard input from - and honours --dialect', () => {
    const { code, stdout } = dbTickets(['analyze', '--dialect', 'mysql', '--json', '-'], "SELECT 'a\\';b' # c;\n;");
    assert.equal(code, 0);
    const analysis = JSON.parse(stdout);
    assert.equal(analysis.dialect, 'mysql');
    assert.deepEqual(analysis.statements.map((s: { text: string }) => s.text), ["SELECT 'a\\';b'"]);
  });

  it('reports ticketKind null and the reason when no kind fits', () => {
    const { code, stdout } = dbTickets(['analyze', '--json', '--dialect', 'postgres'], 'CREATE TABLE a (id int);\nDELETE FROM b WHERE id = 1;');
    assert.equal(code, 0);
    const analysis = JSON.parse(stdout);
    assert.equal(analysis.ticketKind, null);
    assert.match(analysis.reason, /schema change: statement 2 \(DELETE, line 2\) is DML/);
  });

  it('--fail-on error exits 1 on an error and says why on stderr, still printing the analysis', () => {
    const { code, stdout, stderr } = dbTickets(['analyze', '--fail-on', 'error', dropFile]);
    assert.equal(code, 1);
    assert.match(stdout, /error \[drop-object\]/);
    assert.equal(
      stderr,
      `${dropFile}:2: error [drop-object] DROP TABLE deletes the table and all its data for good: check the name, and make sure a backup exists.\ndb-tickets analyze: 1 risk of severity error or worse (--fail-on error).\n`,
    );
  });

  it('numbers lines of the file as given, comments and blank lines above included; <stdin> for standard input', () => {
    const { stdout, stderr } = dbTickets(['analyze', '--fail-on', 'error', '-'], '-- clean up\n\nDELETE FROM t;\n');
    assert.match(stdout, /^1\. 3:1-3:14 {2}dml {2}DELETE FROM t$/m);
    assert.match(stderr, /^<stdin>:3: error \[delete-without-where\] DELETE without WHERE/);
  });

  it('--fail-on warning counts warnings and errors; --fail-on error ignores warnings', () => {
    assert.equal(dbTickets(['analyze', '--fail-on', 'warning', exportFile]).code, 1);
    assert.match(dbTickets(['analyze', '--fail-on', 'warning', dropFile]).stderr, /:2: error \[drop-object\] .*\ndb-tickets analyze: 1 risk of severity warning or worse \(--fail-on warning\)\.\n$/);
    assert.equal(dbTickets(['analyze', '--fail-on', 'error', exportFile]).code, 0);
  });

  it('a missing file is exit 2 with a one-line message saying what to do', () => {
    const missing = join(dir, 'missing.sql');
    const { code, stdout, stderr } = dbTickets(['analyze', missing]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, `db-tickets: Cannot read ${missing}: no such file. Check the path, or pass - to read standard input.\n`);
  });

  it('a directory is exit 2 with a one-line message', () => {
    const { code, stderr } = dbTickets(['analyze', dir]);
    assert.equal(code, 2);
    assert.equal(stderr, `db-tickets: Cannot read ${dir}: it is a directory. Check the path, or pass - to read standard input.\n`);
  });

  it('an unknown dialect or severity is a usage error: exit 2 naming the allowed values', () => {
    const dialect = dbTickets(['analyze', '--dialect', 'oracle', exportFile]);
    assert.equal(dialect.code, 2);
    assert.match(dialect.stderr, /argument 'oracle' is invalid\. Allowed choices are mysql, postgres, generic\./);
    const severity = dbTickets(['analyze', '--fail-on', 'info', exportFile]);
    assert.equal(severity.code, 2);
    assert.match(severity.stderr, /argument 'info' is invalid\. Allowed choices are error, warning\./);
  });

  it('an unknown command is a usage error: exit 2, nothing on stdout', () => {
    const { code, stdout, stderr } = dbTickets(['analyse']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /unknown command 'analyse'/);
    assert.match(stderr, /Did you mean analyze\?/);
  });

  it('no command is a usage error that lists the commands', () => {
    const { code, stdout, stderr } = dbTickets([]);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /Commands:\n\s+analyze/);
  });

  describe('reading the input', () => {
    it('refuses to wait on a terminal when no file is given', async () => {
      const terminal = Object.assign((async function* () {})(), { isTTY: true });
      await assert.rejects(readSqlInput(undefined, terminal), new DbTicketsError('usage', 'No SQL given: pass a file, or pipe SQL into standard input.'));
    });

    it('reads piped input, and a terminal too when - asks for it explicitly', async () => {
      const piped = (async function* () {
        yield Buffer.from('SELECT ');
        yield '1';
      })();
      assert.equal(await readSqlInput(undefined, piped), 'SELECT 1');
      const terminal = Object.assign((async function* () {
        yield 'SELECT 2';
      })(), { isTTY: true });
      assert.equal(await readSqlInput('-', terminal), 'SELECT 2');
    });

    it('stops reading past 64 MB, from standard input or a file, saying to split the ticket', async () => {
      let pulled = 0;
      const endless = (async function* () {
        for (;;) {
          pulled++;
          yield Buffer.alloc(1024 * 1024, 0x20);
        }
      })();
      await assert.rejects(readSqlInput(undefined, endless), /^DbTicketsError: Standard input holds more than 64 MB of SQL, more than one ticket takes: split it into several tickets/);
      assert.equal(pulled, 65, 'it stopped at the limit instead of reading on');
      const big = join(mkdtempSync(join(tmpdir(), 'sql-')), 'big.sql');
      writeFileSync(big, '');
      truncateSync(big, maxSqlBytes + 1);
      await assert.rejects(readSqlInput(big), (error: DbTicketsError) => error.kind === 'usage' && error.message.startsWith(`${big} holds more than 64 MB of SQL`));
    });
  });
});
