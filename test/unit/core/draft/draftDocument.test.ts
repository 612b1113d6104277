import * as assert from 'node:assert/strict';
import { parseDraftDocument, readBackendFields, readEstimatedRows, renderDraftDocument, type DraftHeader } from '../../../../src/core/draft/draftDocument';

const header: DraftHeader = {
  kind: 'DATA_EXPORT',
  kindReason: 'one read-only query',
  profile: 'local',
  database: 'demo',
  title: 'Export customers',
  reason: 'Quarterly report',
};

describe('draft document', () => {
  it('puts the header fields above the SQL as comments', () => {
    const text = renderDraftDocument(header, 'SELECT 1;');
    assert.equal(
      text,
      [
        '-- Kind: DATA_EXPORT (one read-only query)',
        '-- Profile: local',
        '-- Database: demo',
        '-- Title: Export customers',
        '-- Reason: Quarterly report',
        '-- Stakeholders:',
        '-- Estimated rows:',
        '',
        'SELECT 1;',
      ].join('\n'),
    );
  });

  it('keeps the SQL byte for byte, trailing whitespace and CRLF included', () => {
    const sql = 'SELECT a,\r\n  b  \r\nFROM t;\n\n';
    assert.ok(renderDraftDocument(header, sql).endsWith(`\n\n${sql}`));
  });

  it('folds line breaks in a field so they cannot leak out of the comment into the SQL', () => {
    const text = renderDraftDocument({ ...header, reason: 'line one\n  DROP TABLE x;\r\nline two' }, 'SELECT 1;');
    assert.match(text, /^-- Reason: line one DROP TABLE x; line two$/m);
    assert.equal(text.split('\n').filter((l) => !l.startsWith('--')).join('\n'), '\nSELECT 1;');
  });

  it('reads back a field holding a Unicode line or paragraph separator (found by fuzzing)', () => {
    const parsed = parseDraftDocument(renderDraftDocument({ ...header, title: 'a\u2028b', reason: 'c\u2029d' }, 'SELECT 1'));
    assert.equal(parsed.title, 'a\u2028b');
    assert.equal(parsed.reason, 'c\u2029d');
    assert.equal(parsed.sql, 'SELECT 1');
  });

  it('shows empty fields without trailing spaces, ready to fill in', () => {
    const text = renderDraftDocument({ ...header, database: '', title: '' }, 'SELECT 1;');
    assert.match(text, /^-- Database:$/m);
    assert.match(text, /^-- Title:$/m);
  });
});

describe('reading a draft document back', () => {
  it('gives back the fields and the SQL it was rendered from', () => {
    const sql = 'SELECT a,\r\n  b  \r\nFROM t;\n\n';
    const parsed = parseDraftDocument(renderDraftDocument(header, sql));
    assert.deepEqual(parsed, {
      draftId: '',
      kind: 'DATA_EXPORT',
      profile: 'local',
      database: 'demo',
      title: 'Export customers',
      reason: 'Quarterly report',
      stakeholders: [],
      estimatedRows: '',
      attachments: [],
      backendFields: '',
      sql,
      sqlLine: 9,
      headerLine: 1,
      lines: { kind: 1, profile: 2, database: 3, title: 4, reason: 5, stakeholders: 6, estimatedRows: 7 },
      unknownFields: [],
    });
  });

  it('reads fields edited as text, in any order and case, and empty ones as empty', () => {
    const parsed = parseDraftDocument('-- title:  New title \n-- KIND: SCHEMA_CHANGE\n-- Database:\n\nALTER TABLE t ADD c int;');
    assert.equal(parsed.title, 'New title');
    assert.equal(parsed.kind, 'SCHEMA_CHANGE');
    assert.equal(parsed.database, '');
    assert.equal(parsed.sql, 'ALTER TABLE t ADD c int;');
  });

  it('reports a header line that names no field, with its line number', () => {
    const parsed = parseDraftDocument('-- Kind: DATA_EXPORT\n-- Databse: demo\n\nSELECT 1;');
    assert.deepEqual(parsed.unknownFields, [{ line: 2, field: 'Databse', hint: 'Database' }]);
  });

  it('forgives blank lines and ordinary comments before and between header lines, and counts lines in the file', () => {
    const parsed = parseDraftDocument('\n-- a note to myself\n-- Kind: DATA_EXPORT\n\n-- TODO: ask Bob\n-- Database: demo\n\n-- the query\nSELECT 1;');
    assert.equal(parsed.kind, 'DATA_EXPORT');
    assert.equal(parsed.database, 'demo');
    assert.deepEqual(parsed.lines, { kind: 3, database: 6 });
    assert.deepEqual(parsed.unknownFields, []);
    assert.equal(parsed.sql, '-- the query\nSELECT 1;');
    assert.equal(parsed.sqlLine, 8);
  });

  it('forgives CRLF line ends and blank lines before the header, counting lines as the editor does', () => {
    const parsed = parseDraftDocument('\r\n\r\n-- Kind: DATA_CHANGE\r\n\r\n-- Database: demo\r\n-- Title: t\r\n\r\nDELETE FROM t WHERE id = 1;\r\n');
    assert.deepEqual([parsed.kind, parsed.database, parsed.title], ['DATA_CHANGE', 'demo', 't']);
    assert.deepEqual(parsed.lines, { kind: 3, database: 5, title: 6 });
    assert.equal(parsed.headerLine, 3);
    assert.equal(parsed.sql, 'DELETE FROM t WHERE id = 1;\r\n');
    assert.equal(parsed.sqlLine, 8);
  });

  it('starts the header at its first field line, or at a mistyped one, for where a missing line goes', () => {
    assert.equal(parseDraftDocument('-- notes\n\n-- Databse: demo\n-- Kind: DATA_EXPORT\n\nSELECT 1;').headerLine, 3);
    assert.equal(parseDraftDocument('\n\nSELECT 1;').headerLine, 1);
  });

  it('reports a field label without its colon', () => {
    const parsed = parseDraftDocument('-- Kind: DATA_EXPORT\n-- Title Export them\n\nSELECT 1;');
    assert.deepEqual(parsed.unknownFields, [{ line: 2, field: 'Title', hint: 'Title:' }]);
  });

  it('reads and renders the draft id line', () => {
    const text = renderDraftDocument({ ...header, draftId: 'ci-run-41' }, 'SELECT 1;');
    assert.match(text, /^-- Draft id: ci-run-41$/m);
    assert.equal(parseDraftDocument(text).draftId, 'ci-run-41');
  });

  it('stops the header at the first other line: later comments belong to the SQL', () => {
    const parsed = parseDraftDocument('-- Kind: DATA_EXPORT\nSELECT 1; -- Note: not a field\n-- Title: also SQL');
    assert.equal(parsed.title, '');
    assert.equal(parsed.sql, 'SELECT 1; -- Note: not a field\n-- Title: also SQL');
  });

  it('round-trips stakeholders, estimated rows and attachments', () => {
    const full = { ...header, stakeholders: ['bob', 'carol'], estimatedRows: 1200, attachments: ['/tmp/plan, v2.pdf', 'C:\\notes.txt'] };
    const text = renderDraftDocument(full, 'SELECT 1;');
    assert.match(text, /^-- Stakeholders: bob, carol$/m);
    assert.match(text, /^-- Estimated rows: 1200$/m);
    assert.match(text, /^-- Attachments: \/tmp\/plan, v2\.pdf \| C:\\notes\.txt$/m);
    const parsed = parseDraftDocument(text);
    assert.deepEqual(parsed.stakeholders, ['bob', 'carol']);
    assert.equal(readEstimatedRows(parsed.estimatedRows), 1200);
    assert.deepEqual(parsed.attachments, full.attachments);
    assert.equal(parsed.lines.attachments, 8);
  });

  it('reads estimated rows typed with digit grouping, and flags anything else', () => {
    assert.equal(readEstimatedRows(''), undefined);
    assert.equal(readEstimatedRows('1,200'), 1200);
    assert.equal(readEstimatedRows('1 200 000'), 1200000);
    assert.ok(Number.isNaN(readEstimatedRows('about 100')));
    assert.ok(Number.isNaN(readEstimatedRows('-5')));
  });

  it('round-trips backend fields as one JSON line, shown only when there are any', () => {
    assert.doesNotMatch(renderDraftDocument({ ...header, backendFields: {} }, 'SELECT 1;'), /Backend fields/);
    const fields = { resubmitOf: '12', exportFormat: 'jsonl', note: 'line\nbreak' };
    const text = renderDraftDocument({ ...header, backendFields: fields }, 'SELECT 1;');
    assert.match(text, /^-- Backend fields: \{"resubmitOf":"12","exportFormat":"jsonl","note":"line\\nbreak"\}\n\nSELECT 1;$/m);
    const parsed = parseDraftDocument(text);
    assert.equal(parsed.lines.backendFields, 8);
    assert.deepEqual(readBackendFields(parsed.backendFields), { ok: true, fields });
    assert.equal(parsed.sql, 'SELECT 1;');
  });

  it('reads empty backend fields as none, and says why other text is not a set of named values', () => {
    assert.deepEqual(readBackendFields(''), { ok: true, fields: {} });
    const broken = readBackendFields('{"resubmitOf": 12');
    assert.equal(broken.ok, false);
    assert.match(!broken.ok ? broken.reason : '', /JSON/);
    assert.deepEqual(readBackendFields('["12"]'), { ok: false, reason: 'a list is not a set of named values' });
    assert.deepEqual(readBackendFields('12'), { ok: false, reason: '12 is not a set of named values' });
    assert.deepEqual(readBackendFields('null'), { ok: false, reason: 'null is not a set of named values' });
  });

  it('reads a field label with odd spacing and case', () => {
    assert.equal(parseDraftDocument('-- ESTIMATED   rows: 7\n\nSELECT 1;').estimatedRows, '7');
  });

  it('a document without a header is all SQL', () => {
    assert.equal(parseDraftDocument('SELECT 1;').sql, 'SELECT 1;');
  });
});
