import * as assert from 'node:assert/strict';
import { validateDraft } from '../../../../src/core/model/ticketDraft';

const valid = {
  id: 'd-1',
  title: 'Export customers',
  kind: 'DATA_EXPORT',
  sql: 'SELECT id FROM customers',
  database: 'demo',
  reason: 'Quarterly report',
};

function problems(patch: Record<string, unknown>) {
  const result = validateDraft({ ...valid, ...patch });
  assert.equal(result.ok, false);
  return result.ok ? [] : result.problems;
}

describe('ticket draft validation', () => {
  it('accepts a complete draft and fills the optional lists', () => {
    const result = validateDraft({ ...valid, estimatedRows: 1240, stakeholders: ['li.wei'], backendFields: { window: 'night' } });
    assert.ok(result.ok);
    assert.deepEqual(result.draft.attachments, []);
    assert.equal(result.draft.estimatedRows, 1240);
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['an empty title', { title: '   ' }, 'title', /^Title is empty: write a short title/],
    ['a title too long', { title: 'x'.repeat(201) }, 'title', /^Title is longer than 200 characters: shorten it/],
    ['an unknown kind', { kind: 'EXPORT' }, 'kind', /^Kind is not a ticket kind: use DATA_EXPORT, SCHEMA_CHANGE or DATA_CHANGE/],
    ['blank SQL', { sql: '\n ' }, 'sql', /^SQL is empty: add the statements/],
    ['a missing database', { database: undefined }, 'database', /^Database is empty: choose the database/],
    ['a missing reason', { reason: '' }, 'reason', /^Reason is empty: say why/],
    ['an empty stakeholder', { stakeholders: ['a', ' '] }, 'stakeholders.1', /^Stakeholders holds an empty name: remove the empty entry/],
    ['negative estimated rows', { estimatedRows: -5 }, 'estimatedRows', /^Estimated rows is not a whole number of 0 or more/],
    ['fractional estimated rows', { estimatedRows: 1.5 }, 'estimatedRows', /^Estimated rows is not a whole number/],
    ['an attachment without a path', { attachments: [{ name: 'plan.pdf' }] }, 'attachments.0.path', /^Attachment needs a file name and a path/],
    ['backend fields that are not an object', { backendFields: 'x' }, 'backendFields', /^Backend fields are not a set of named values/],
    ['a missing id', { id: undefined }, 'id', /^Draft id is missing: .*create the draft again/],
  ];
  for (const [what, patch, field, message] of cases) {
    it(`names the field and the fix for ${what}`, () => {
      const found = problems(patch);
      assert.equal(found.length, 1, JSON.stringify(found));
      assert.equal(found[0].field, field);
      assert.match(found[0].message, message);
    });
  }
});
