import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { type AnalyzedInput, reportPath } from '../../../src/cli/reports/analyzedInput';
import { githubAnnotations } from '../../../src/cli/reports/githubAnnotations';
import { junitReport } from '../../../src/cli/reports/junitReport';
import { sarifReport } from '../../../src/cli/reports/sarifReport';
import { analyzeSql } from '../../../src/core/rules/analyzeSql';
import { riskRules } from '../../../src/core/rules/riskRules';
import { type XmlElement, parseXml } from '../../support/xmlTree';
import sarifSchema from '../../support/sarif/sarif-schema-2.1.0.json';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** The official SARIF 2.1.0 schema (draft-04), with its uri and date-time formats checked. */
const ajv = new AjvDraft04({ allErrors: true });
addFormats(ajv);
const validSarif = ajv.compile(sarifSchema);

function assertValidSarif(log: unknown): void {
  assert.ok(validSarif(log), `not valid SARIF 2.1.0: ${ajv.errorsText(validSarif.errors)}`);
}

function input(path: string | undefined, sql: string): AnalyzedInput {
  return { name: path ?? '<stdin>', path, analysis: analyzeSql(sql, { dialect: 'generic' }) };
}

/** An input whose one risk says `message`, as a lint's message could if it quoted what it found. */
function saying(path: string | undefined, message: string): AnalyzedInput {
  const analyzed = input(path, 'DROP TABLE t;');
  analyzed.analysis.statements[0].risks[0].message = message;
  return analyzed;
}

/** A workflow command as the Actions runner reads it: the name, the properties and the message, unescaped. */
function parseCommand(line: string): { command: string; properties: Record<string, string>; message: string } {
  const match = /^::(\w+)(?: ([^:]*))?::(.*)$/.exec(line);
  assert.ok(match, `not a workflow command: ${JSON.stringify(line)}`);
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const properties: Record<string, string> = {};
  for (const pair of (match[2] ?? '').split(',').filter(Boolean)) {
    const at = pair.indexOf('=');
    properties[pair.slice(0, at)] = unescape(pair.slice(at + 1));
  }
  return { command: match[1], properties, message: match[3].replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%') };
}

function annotations(inputs: AnalyzedInput[]) {
  const output = githubAnnotations(inputs);
  assert.ok(output === '' || output.endsWith('\n'));
  return output.split('\n').filter(Boolean).map(parseCommand);
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

const hostileNames = ['db/a b,c:50%.sql', 'db/new\nline.sql', 'db/数据 🚀.sql', 'db/#hash?query&amp.sql', "db/'quoted\" <tag>.sql"];

describe('analyze reports: GitHub annotations, SARIF, JUnit', () => {
  describe('GitHub annotations', () => {
    it('puts each risk on its statement, by severity: error, warning, notice', () => {
      const parsed = annotations([input('db/change.sql', '-- tidy\nDELETE FROM t;\nGRANT ALL ON t TO bob;\n'), input('db/export.sql', 'SELECT id\nFROM t;')]);
      assert.deepEqual(parsed, [
        {
          command: 'error',
          properties: { file: 'db/change.sql', line: '2', col: '1', endColumn: '13', title: 'db-tickets delete-without-where' },
          message: 'DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.',
        },
        {
          command: 'warning',
          properties: { file: 'db/change.sql', line: '3', col: '1', endColumn: '21', title: 'db-tickets grant-all' },
          message: riskMessage('GRANT ALL ON t TO bob', 'grant-all'),
        },
        {
          // A statement over several lines: its lines, no columns.
          command: 'notice',
          properties: { file: 'db/export.sql', line: '1', endLine: '2', title: 'db-tickets export-without-limit' },
          message: riskMessage('SELECT id FROM t', 'export-without-limit'),
        },
      ]);
    });

    it('escapes hostile file names and messages so each annotation is one line the runner reads back exactly', () => {
      const message = 'first line\nsecond: 100% sure, really\r\n::error ::injected';
      const inputs = hostileNames.map((name) => saying(name, message));
      const output = githubAnnotations(inputs);
      assert.equal(output.split('\n').length, hostileNames.length + 1, 'one line per annotation');
      assert.match(output, /^::error file=db\/a b%2Cc%3A50%25\.sql,line=1,col=1,endColumn=12,title=db-tickets drop-object::first line%0Asecond: 100%25 sure, really%0D%0A::error ::injected$/m);
      const parsed = annotations(inputs);
      assert.deepEqual(parsed.map((a) => a.properties.file), hostileNames);
      assert.ok(parsed.every((a) => a.message === message));
    });

    it('leaves the file out for standard input, and prints nothing without risks', () => {
      const [stdin] = annotations([input(undefined, 'TRUNCATE t;')]);
      assert.deepEqual(stdin.properties, { title: 'db-tickets truncate' });
      assert.equal(githubAnnotations([input('clean.sql', 'CREATE TABLE a (id int);'), input('empty.sql', '')]), '');
      assert.equal(githubAnnotations([]), '');
    });

    it('annotates many files in order', () => {
      const inputs = Array.from({ length: 300 }, (_, i) => input(`db/m${i}.sql`, `${'\n'.repeat(i % 7)}DROP TABLE t${i};`));
      const parsed = annotations(inputs);
      assert.equal(parsed.length, 300);
      parsed.forEach((a, i) => assert.deepEqual([a.properties.file, a.properties.line], [`db/m${i}.sql`, String((i % 7) + 1)]));
    });
  });

  describe('SARIF', () => {
    it('is checked against the official OASIS schema', () => {
      assert.equal(sarifSchema.id, 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json');
      assert.equal(validSarif({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] }), false, 'the validator refuses an unknown level');
    });

    it('is valid SARIF 2.1.0 for hostile names, standard input, a file outside the working directory, and none', () => {
      const inputs = [...hostileNames.map((name) => saying(name, 'a message\nwith "quotes", 100% and \u001b[31mcolour')), input(undefined, 'DELETE FROM t;'), input('/elsewhere/x y.sql', 'UPDATE t SET a = 1;')];
      assertValidSarif(sarifReport(inputs, '1.2.3'));
      assertValidSarif(sarifReport([], '1.2.3'));
      assertValidSarif(sarifReport([input('clean.sql', 'SELECT 1;')], '1.2.3'));
    });

    it('describes every rule, and each result points at its rule, its file relative to %SRCROOT% and its statement', () => {
      const log = sarifReport([input('db/a b#?%ü.sql', 'SELECT 1;\nALTER TABLE t\n  MODIFY c int;\n')], '1.2.3');
      const [run] = log.runs;
      assert.equal(log.version, '2.1.0');
      assert.deepEqual([run.tool.driver.name, run.tool.driver.version], ['db-tickets', '1.2.3']);
      assert.deepEqual(run.tool.driver.rules!.map((r) => r.id), Object.keys(riskRules));
      for (const rule of run.tool.driver.rules!) {
        const known = riskRules[rule.id as keyof typeof riskRules];
        assert.equal(rule.shortDescription!.text, known.summary);
        assert.equal(rule.defaultConfiguration!.level, { error: 'error', warning: 'warning', info: 'note' }[known.severity]);
      }
      assert.equal(run.results!.length, 1);
      const [result] = run.results!;
      assert.equal(run.tool.driver.rules![result.ruleIndex!].id, result.ruleId);
      assert.equal(result.ruleId, 'alter-rewrites-table');
      assert.equal(result.level, 'warning');
      const location = result.locations![0].physicalLocation!;
      assert.deepEqual(location.artifactLocation, { uri: 'db/a%20b%23%3F%25%C3%BC.sql', uriBaseId: '%SRCROOT%' });
      assert.equal(decodeURIComponent(location.artifactLocation!.uri!), 'db/a b#?%ü.sql');
      assert.deepEqual(location.region, { startLine: 2, startColumn: 1, endLine: 3, endColumn: 15 });
    });

    it('keeps a finding\'s fingerprint when its statement moves, and tells identical statements apart', () => {
      const fingerprints = (sql: string) => sarifReport([input('m.sql', sql)], '1').runs[0].results!.map((r) => r.partialFingerprints!['dbTicketsStatement/v1']);
      const [before] = fingerprints('DROP TABLE t;');
      const [after] = fingerprints('SELECT 1;\n\n  DROP   TABLE\n t;');
      assert.equal(after, before);
      const twice = fingerprints('DROP TABLE t;\nDROP TABLE t;\nDROP TABLE u;');
      assert.equal(new Set(twice).size, 3);
    });

    it('reports many files, each result at its own file', () => {
      const log = sarifReport(Array.from({ length: 250 }, (_, i) => input(`db/m ${i}.sql`, i % 2 ? 'TRUNCATE t;\nDROP TABLE t;' : 'SELECT a FROM t LIMIT 1;')), '1');
      assertValidSarif(log);
      const uris = log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri);
      assert.equal(uris.length, 250);
      assert.deepEqual(uris.slice(0, 4), ['db/m%201.sql', 'db/m%201.sql', 'db/m%203.sql', 'db/m%203.sql']);
    });

    it('names a file outside the working directory by its file: URI and standard input by a description', () => {
      const [outside, stdin] = sarifReport([input('/srv/sql/a b.sql', 'TRUNCATE t;'), input(undefined, 'TRUNCATE t;')], '1').runs[0].results!;
      assert.deepEqual(outside.locations![0].physicalLocation!.artifactLocation, { uri: 'file:///srv/sql/a%20b.sql' });
      assert.deepEqual(stdin.locations![0].physicalLocation!.artifactLocation, { description: { text: 'standard input' } });
    });
  });

  describe('JUnit', () => {
    it('is a suite per file and a case per statement, failed by its errors, with milder risks as output', () => {
      const xml = junitReport([input('db/a.sql', 'SELECT * FROM t;\nDROP TABLE t;\nGRANT ALL ON t TO PUBLIC;\n'), input('db/empty.sql', '-- nothing yet\n')], 'error');
      const root = parseXml(xml);
      assert.equal(root.name, 'testsuites');
      assert.deepEqual([root.attributes.tests, root.attributes.failures], ['3', '1']);
      const [a, empty] = children(root, 'testsuite');
      assert.deepEqual([a.attributes.name, a.attributes.tests, a.attributes.failures], ['db/a.sql', '3', '1']);
      assert.deepEqual([empty.attributes.name, empty.attributes.tests, empty.attributes.failures, empty.children.length], ['db/empty.sql', '0', '0', 0]);
      const [select, drop, grant] = children(a, 'testcase');
      assert.deepEqual(select.children, []);
      assert.equal(drop.attributes.name, 'statement 2 (line 2): DROP TABLE t');
      const [failure] = children(drop, 'failure');
      assert.equal(failure.attributes.type, 'drop-object');
      assert.match(failure.text, /^db\/a\.sql:2:1: error \[drop-object\] DROP TABLE deletes the table/);
      assert.deepEqual(children(grant, 'failure'), []);
      assert.equal(children(grant, 'system-out')[0].text.split('\n').length, 2, 'grant-all and grant-to-public');
    });

    it('fails warnings too with --fail-on warning, one failure per statement naming how many more', () => {
      const root = parseXml(junitReport([input('a.sql', 'GRANT ALL ON t TO PUBLIC;')], 'warning'));
      const [failure] = children(children(children(root, 'testsuite')[0], 'testcase')[0], 'failure');
      assert.equal(failure.attributes.type, 'grant-all');
      assert.match(failure.attributes.message, / \(and 1 more\)$/);
      assert.equal(failure.text.split('\n').length, 2);
    });

    it('stays well-formed XML 1.0 for hostile names, messages and SQL, keeping what XML can hold', () => {
      const message = 'a <b> & "c" \'d\'\n]]> \u001b[31m \uFFFF end';
      const inputs = [...hostileNames.map((name) => saying(name, message)), input(undefined, "SELECT '\u0000\ud800' AS x, '<&>';\nDROP TABLE \"]]>\";")];
      const root = parseXml(junitReport(inputs, 'error'));
      const suites = children(root, 'testsuite');
      assert.deepEqual(suites.map((s) => s.attributes.name), [...hostileNames, '<stdin>']);
      const failure = children(children(suites[0], 'testcase')[0], 'failure')[0];
      assert.equal(failure.attributes.message, 'a <b> & "c" \'d\'\n]]> \\x1b[31m \\u{ffff} end');
      const stdinCases = children(suites.at(-1)!, 'testcase');
      assert.equal(stdinCases[0].attributes.name, "statement 1 (line 1): SELECT '\\x00\\u{d800}' AS x, '<&>'");
      assert.equal(stdinCases[1].attributes.name, 'statement 2 (line 2): DROP TABLE "]]>"');
    });

    it('reports many files', () => {
      const root = parseXml(junitReport(Array.from({ length: 250 }, (_, i) => input(`m${i}.sql`, i % 2 ? 'TRUNCATE t;' : 'SELECT 1;')), 'error'));
      assert.deepEqual([root.attributes.tests, root.attributes.failures, children(root, 'testsuite').length], ['250', '125', 250]);
    });
  });

  describe('reportPath', () => {
    it('is relative to the working directory with / between folders, absolute outside it', () => {
      assert.equal(reportPath('db/x.sql', '/repo'), 'db/x.sql');
      assert.equal(reportPath('/repo/db/../db/x y.sql', '/repo'), 'db/x y.sql');
      assert.equal(reportPath('../other/x.sql', '/repo'), '/other/x.sql');
      assert.equal(reportPath('..x.sql', '/repo'), '..x.sql');
    });
  });

  describe('db-tickets analyze --format (the bundle)', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'db-tickets-reports-'));
      mkdirSync(join(dir, 'db'));
      writeFileSync(join(dir, 'db', 'a b,c:%.sql'), 'ALTER TABLE t ADD c int;\nDROP TABLE old_t;\n');
      writeFileSync(join(dir, 'db', '-dash.sql'), 'SELECT 1;\n');
      writeFileSync(join(dir, 'db', '变更.sql'), 'GRANT ALL ON t TO bob;\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function dbTickets(args: string[], input = '') {
      const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, cwd: dir });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    const files = ['db/a b,c:%.sql', 'db/变更.sql'];

    it('--format github annotates several files by their paths relative to the working directory', () => {
      const run = dbTickets(['analyze', '--format', 'github', ...files.map((f) => join(dir, f))]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(run.stdout.split('\n').filter(Boolean).map((line) => { const a = parseCommand(line); return [a.command, a.properties.file, a.properties.line]; }), [
        ['error', 'db/a b,c:%.sql', '2'],
        ['warning', 'db/变更.sql', '1'],
      ]);
    });

    it('--format sarif prints a valid SARIF log; --fail-on still sets the exit code and lists the risks on stderr', () => {
      const run = dbTickets(['analyze', '--format', 'sarif', '--fail-on', 'error', ...files]);
      assert.equal(run.code, 1);
      const log = JSON.parse(run.stdout) as Log;
      assertValidSarif(log);
      assert.deepEqual(log.runs[0].results!.map((r) => r.locations![0].physicalLocation!.artifactLocation!.uri), ['db/a%20b%2Cc%3A%25.sql', 'db/%E5%8F%98%E6%9B%B4.sql']);
      assert.equal(run.stderr, `db/a b,c:%.sql:2: error [drop-object] ${riskMessage('DROP TABLE old_t', 'drop-object')}\ndb-tickets analyze: 1 risk of severity error or worse (--fail-on error).\n`);
    });

    it('--format junit prints a JUnit report; a file named like an option is read after --', () => {
      const run = dbTickets(['analyze', '--format', 'junit', '--', 'db/-dash.sql', ...files]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(children(parseXml(run.stdout), 'testsuite').map((s) => [s.attributes.name, s.attributes.failures]), [['db/-dash.sql', '0'], ['db/a b,c:%.sql', '1'], ['db/变更.sql', '0']]);
    });

    it('--format json is --json; several files print a JSON line each naming its file, text a section each', () => {
      const single = dbTickets(['analyze', '--format', 'json', files[0]]);
      assert.equal(single.stdout, dbTickets(['--json', 'analyze', files[0]]).stdout);
      assert.equal(dbTickets(['analyze', '--json', '--format', 'json', files[0]]).code, 0);
      const several = dbTickets(['analyze', '--json', ...files, '-'], 'SELECT 1;');
      const lines = several.stdout.trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(lines.map((l) => [l.file, l.statements.length]), [[files[0], 2], [files[1], 1], ['<stdin>', 1]]);
      const text = dbTickets(['analyze', ...files]);
      assert.match(text.stdout, /^File: db\/a b,c:%\.sql\nTicket kind: SCHEMA_CHANGE .*\n[\s\S]*\n\nFile: db\/变更\.sql\nTicket kind: /);
    });

    it('--json with another --format, and - given twice, are usage errors (exit 2) saying what to do', () => {
      const both = dbTickets(['--json', 'analyze', '--format', 'sarif', files[0]]);
      assert.deepEqual([both.code, both.stdout], [2, '']);
      assert.equal(both.stderr, 'db-tickets: --json and --format sarif ask for two different outputs: give one of them (--format json is the same as --json).\n');
      const twice = dbTickets(['analyze', '-', '-']);
      assert.equal(twice.code, 2);
      assert.equal(twice.stderr, 'db-tickets: Standard input (-) is given more than once: it can be read only once, so give - at most once.\n');
      const unknown = dbTickets(['analyze', '--format', 'xml', files[0]]);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /argument 'xml' is invalid\. Allowed choices are text, json, github, sarif, junit\./);
    });

    it('--help lists the formats and the exit codes', () => {
      const help = dbTickets(['analyze', '--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Output formats:\n {2}text .*\n {2}json .*\n.*\n {2}github .*\n {2}sarif .*\n {2}junit /);
      assert.match(help.stdout, /Exit codes:\n {2}0 .*\n {2}1 .*--fail-on.*\n.*\n {2}2 /);
    });
  });
});

/** The message a lint gives `sql` for `rule`. */
function riskMessage(sql: string, rule: string): string {
  const risk = analyzeSql(sql, { dialect: 'generic' }).statements[0].risks.find((r) => r.rule === rule);
  assert.ok(risk, `${rule} on ${sql}`);
  return risk.message;
}
