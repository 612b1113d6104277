import * as assert from 'node:assert/strict';
import { renderDraftDocument, type DraftHeader } from '../../../src/core/draft/draftDocument';

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

  it('shows empty fields without trailing spaces, ready to fill in', () => {
    const text = renderDraftDocument({ ...header, database: '', title: '' }, 'SELECT 1;');
    assert.match(text, /^-- Database:$/m);
    assert.match(text, /^-- Title:$/m);
  });
});
