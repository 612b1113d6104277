import * as assert from 'node:assert/strict';
import { jsonLine } from '../../../../../../src/backends/local/db/export/jsonlFormat';

describe('JSON Lines format', () => {
  it('writes one object per line with keys in column order', () => {
    const line = jsonLine(['z', 'a', 'm'], ['value', 'value', 'value'], [1, 'two', null]);
    assert.equal(line, '{"z":1,"a":"two","m":null}\n');
  });

  it('writes decimal text as exact JSON numbers, JSON text as is, binary as base64', () => {
    const line = jsonLine(['big', 'doc', 'raw', 'nan'], ['number', 'json', 'base64', 'number'], ['18446744073709551615', '{"a":[1]}', Buffer.from([0, 255, 16]), 'NaN']);
    assert.equal(line, '{"big":18446744073709551615,"doc":{"a":[1]},"raw":"AP8Q","nan":"NaN"}\n');
  });

  it('writes bigint values exactly and escapes unicode text safely', () => {
    assert.equal(jsonLine(['n', 's'], ['value', 'value'], [2n ** 64n, 'Zoë\n"🚀"']), '{"n":18446744073709551616,"s":"Zoë\\n\\"🚀\\""}\n');
  });
});
