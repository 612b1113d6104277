import * as assert from 'node:assert/strict';
import { csvField, csvLine } from '../../../../../../src/backends/local/db/export/csvFormat';
import { CsvRowCounter } from '../../../../../../src/backends/local/db/postgres/csvRowCounter';

describe('CSV format', () => {
  it('quotes only fields holding a comma, a quote, CR or LF, doubling quotes', () => {
    assert.equal(csvField('plain text'), 'plain text');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('carriage\rreturn'), '"carriage\rreturn"');
    assert.equal(csvField('李小龙 🚀'), '李小龙 🚀');
  });

  it('keeps NULL (empty) and the empty string ("") apart', () => {
    assert.equal(csvLine([null, '', 'x']), ',"",x\n');
  });

  it('counts records, not line feeds inside quoted fields, across chunk boundaries', () => {
    const text = 'id,note\n1,"a\nb"\n2,"say ""hi""\n"\n3,plain\n';
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const counter = new CsvRowCounter(true);
      let rows = 0;
      for (let at = 0; at < bytes.length; at += size) rows += counter.count(bytes.subarray(at, at + size));
      assert.equal(rows, 3, `chunks of ${size}`);
    }
  });
});
