import * as assert from 'node:assert/strict';
import { checkDraft } from '../../../../src/core/draft/checkDraft';
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
});
