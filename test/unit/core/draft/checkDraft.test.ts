import * as assert from 'node:assert/strict';
import { checkDraft, checkDraftHeader } from '../../../../src/core/draft/checkDraft';
import { renderDraftDocument } from '../../../../src/core/draft/draftDocument';
import { english } from '../../../../src/core/localizable';

const header = { kind: 'DATA_EXPORT' as const, kindReason: 'inferred', profile: 'local', database: 'demo', title: 'Export customers', reason: 'Quarterly report' };
const sql = 'SELECT id, email FROM customers LIMIT 10;';

function problems(text: string, options: Partial<Parameters<typeof checkDraft>[1]> = {}) {
  const check = checkDraft(text, { id: 'd-1', dialect: 'postgres', ...options });
  assert.equal(check.ok, false, 'expected problems');
  return check.ok ? [] : check.problems.map((p) => ({ line: p.line, message: english(p.message) }));
}

describe('checking a draft document', () => {
  it('turns a rendered draft into the ticket draft, SQL byte for byte and the reason apart', () => {
    const check = checkDraft(renderDraftDocument(header, `${sql}\r\n`), { id: 'd-1', dialect: 'postgres' });
    assert.ok(check.ok);
    assert.equal(check.draft.sql, `${sql}\r\n`);
    assert.equal(check.draft.reason, 'Quarterly report');
    assert.equal(check.draft.id, 'd-1');
    assert.deepEqual(check.warnings, []);
  });

  it("prefers the document's own draft id line, so a draft file is idempotent wherever it is submitted", () => {
    const check = checkDraft(renderDraftDocument({ ...header, draftId: 'release-7' }, sql), { id: 'other', dialect: 'postgres' });
    assert.ok(check.ok);
    assert.equal(check.draft.id, 'release-7');
  });

  it('refuses a draft file without a draft id, saying how to give one', () => {
    const [problem] = problems(renderDraftDocument(header, sql), { id: undefined });
    assert.match(problem.message, /no "-- Draft id:" line/);
  });

  it('names the line of the file for a statement that breaks the kind (line 9 of the draft, not line 1 of the statement)', () => {
    const text = renderDraftDocument(header, 'SELECT 1;\nDROP TABLE orders;');
    const lines = text.split('\n');
    const dropLine = lines.findIndex((l) => l.startsWith('DROP')) + 1;
    const found = problems(text);
    assert.ok(found.some((p) => p.line === dropLine && /Statement 2 \(DROP TABLE, line \d+\)/.test(p.message) && p.message.includes(`line ${dropLine}`)), JSON.stringify(found));
  });

  it('blocks on risks that are errors, at their line, and returns warnings for the user to confirm', () => {
    const change = { ...header, kind: 'DATA_CHANGE' as const };
    const found = problems(renderDraftDocument(change, '\nDELETE FROM orders;'));
    assert.ok(found.some((p) => /DELETE without WHERE/.test(p.message) && p.line === 10), JSON.stringify(found));
    const check = checkDraft(renderDraftDocument(header, 'SELECT * FROM customers LIMIT 5;'), { id: 'd', dialect: 'postgres' });
    assert.ok(check.ok);
    assert.deepEqual(check.warnings.map((w) => [w.rule, w.line]), [['select-star', 9]]);
  });

  it('reports a typo in a header label at its line, with the field meant', () => {
    const text = '-- Kind: DATA_EXPORT\n-- Databse: demo\n-- Title: t\n-- Reason: r\n\nSELECT 1;';
    const found = problems(text);
    assert.deepEqual(found[0], { line: 2, message: 'The draft\'s header says "Databse": did you mean "Database"? Fix the label, or remove the line.' });
  });

  it('points an empty field at its header line', () => {
    const found = problems(renderDraftDocument({ ...header, reason: '' }, sql));
    assert.deepEqual(found, [{ line: 5, message: 'Reason is empty: say why the export or change is needed; approvers read it. (the draft\'s "-- Reason:" line)' }]);
  });

  it("applies the target backend's limits: kinds it does not take, attachments it cannot carry, statements it allows", () => {
    const target = { name: 'Test service', capabilities: { kinds: ['DATA_EXPORT' as const], attachments: false } };
    const schema = problems(renderDraftDocument({ ...header, kind: 'SCHEMA_CHANGE' }, 'ALTER TABLE t ADD c int;'), { target });
    assert.match(schema[0].message, /Test service does not take SCHEMA_CHANGE tickets/);
    assert.equal(schema[0].line, 1);
    const attached = problems(renderDraftDocument({ ...header, attachments: ['/tmp/plan.pdf'] }, sql), { target });
    assert.match(attached[0].message, /Test service takes no attachments/);
    const widened = { name: 'Wide', capabilities: { kinds: ['DATA_CHANGE' as const], attachments: false, kindAllowances: { DATA_CHANGE: ['ddl'] } } };
    assert.ok(checkDraft(renderDraftDocument({ ...header, kind: 'DATA_CHANGE' }, 'ALTER TABLE t ADD c int;'), { id: 'd', dialect: 'postgres', target: widened }).ok);
  });

  it('forgives blank lines, comments and CRLF before and between header lines, and names the file\'s lines', () => {
    const text = '\r\n-- notes: ask Bob first\r\n-- Kind: DATA_CHANGE\r\n\r\n-- Database: demo\r\n-- Title: Tidy\r\n-- Reason: r\r\n\r\nUPDATE t SET a = 1 WHERE id = 2;\r\nDELETE FROM t;\r\n';
    const found = problems(text);
    assert.deepEqual(found, [{ line: 10, message: 'DELETE without WHERE deletes every row of the table: add a WHERE clause that selects the rows to delete.' }]);
    const check = checkDraft(text.replace('DELETE FROM t;', 'DELETE FROM t WHERE id = 3;'), { id: 'd', dialect: 'postgres' });
    assert.ok(check.ok, JSON.stringify(check));
    assert.equal(check.draft.kind, 'DATA_CHANGE');
    assert.deepEqual(check.statements.map((s) => s.start.line), [9, 10]);
  });

  it('says the Kind line is missing and where to add it, instead of quoting an empty kind', () => {
    assert.deepEqual(problems('\n-- Database: demo\n-- Title: t\n-- Reason: r\n\nSELECT 1;'), [
      { line: 2, message: 'The draft has no "-- Kind:" line: add one at the top of the draft, e.g. "-- Kind: DATA_EXPORT" (or SCHEMA_CHANGE, DATA_CHANGE).' },
    ]);
    assert.deepEqual(problems('-- Kind:\n-- Database: demo\n-- Title: t\n-- Reason: r\n\nSELECT 1;'), [
      { line: 1, message: 'The draft\'s Kind line is empty: write DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE after "-- Kind:".' },
    ]);
    assert.deepEqual(problems('-- Kind: EXPORT\n-- Database: demo\n-- Title: t\n-- Reason: r\n\nSELECT 1;'), [
      { line: 1, message: 'The draft\'s Kind line says "EXPORT": write DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE.' },
    ]);
  });

  it('reports a mistyped Kind label once, at its line, and still checks the other fields', () => {
    assert.deepEqual(problems('-- Knid: DATA_EXPORT\n-- Database: demo\n-- Title: t\n-- Reason:\n\nSELECT 1;'), [
      { line: 1, message: 'The draft\'s header says "Knid": did you mean "Kind"? Fix the label, or remove the line.' },
      { line: 4, message: 'Reason is empty: say why the export or change is needed; approvers read it. (the draft\'s "-- Reason:" line)' },
    ]);
  });

  it('points at a Kind line that SQL above it pushed out of the header', () => {
    const [first] = problems('/* weekly */\n-- Kind: DATA_EXPORT\n-- Database: demo\n\nSELECT 1;');
    assert.deepEqual(first, {
      line: 2,
      message: 'This "-- Kind:" line comes after line 1, which is not a "--" comment, so it is read as SQL: move the header lines above line 1, or make line 1 a "--" comment.',
    });
  });

  it('puts a missing field line at the top of the header, saying to add it', () => {
    const found = problems('\n\n-- Kind: DATA_EXPORT\n-- Database: demo\n-- Reason: r\n\nSELECT 1;');
    assert.deepEqual(found, [
      { line: 3, message: 'Title is empty: write a short title that says what the ticket does, e.g. "Export customers". Add a "-- Title:" line for it at the top of the draft.' },
    ]);
  });

  it('checks the header alone for the editor: field problems at their lines, nothing about the SQL, no backend', () => {
    const text = '-- Kind: DATA_CHANGE\n-- Database: demo\n-- Titel: t\n-- Reason:\n-- Estimated rows: about 100\n-- Backend fields: {"resubmitOf": 12\n\nDELETE FROM orders;';
    const found = checkDraftHeader(text, 'd-1').map((p) => [p.line, english(p.message)]);
    assert.deepEqual(found.map(([line]) => line), [3, 6, 4, 5], JSON.stringify(found));
    assert.match(String(found[0][1]), /"Titel": did you mean "Title"/);
    assert.match(String(found[1][1]), /"-- Backend fields:" line is not valid/);
    assert.match(String(found[2][1]), /^Reason is empty/);
    assert.match(String(found[3][1]), /^Estimated rows is not a whole number/);
    assert.ok(!found.some(([, message]) => /DELETE/.test(String(message))), 'the SQL is left to the risk diagnostics');
    assert.deepEqual(checkDraftHeader(renderDraftDocument(header, 'DELETE FROM orders;'), 'd-1'), []);
    assert.deepEqual(checkDraftHeader(renderDraftDocument(header, sql)).map((p) => p.line), [1], 'no draft id: said at the header');
  });

  it('marks the problems that come from a risk lint with its rule, as the editor already shows them', () => {
    const check = checkDraft(renderDraftDocument({ ...header, kind: 'DATA_CHANGE' }, 'DELETE FROM orders;'), { id: 'd', dialect: 'postgres' });
    assert.ok(!check.ok);
    assert.deepEqual(check.problems.map((p) => p.rule), ['delete-without-where']);
  });
});
