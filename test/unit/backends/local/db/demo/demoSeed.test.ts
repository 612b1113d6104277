import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { demoData } from '../../../../../../src/backends/local/db/demo/demoSeed';

describe('demo seed', () => {
  it('generates the same shop for the same day', () => {
    const day = new Date('2026-01-15T00:00:00Z');
    const hash = (statements: string[]) => createHash('sha256').update(statements.join(';')).digest('hex');
    assert.equal(hash(demoData(day)), hash(demoData(new Date(day))));
  });

  it('includes the rows the demo workspace fixes: UK customers and the QA account', () => {
    const sql = demoData(new Date('2026-01-15T00:00:00Z')).join('\n');
    assert.match(sql, /'qa@example\.com', 'QA Test Account'/);
    assert.match(sql, /, 'UK', /);
  });
});
