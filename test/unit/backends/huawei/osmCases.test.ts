import * as assert from 'node:assert/strict';
import { isoTime, summaryOf } from '../../../../src/backends/huawei/osmCases';

describe('Huawei OSM case times', () => {
  it('keeps a number past the range of dates as it is instead of throwing (found by fuzzing)', () => {
    assert.equal(isoTime(1e21), '1e+21');
    assert.equal(summaryOf({ incident_id: '1', create_time: 8.64e15 + 1 } as never).createdAt, '8640000000000001');
  });

  it('reads epoch milliseconds as ISO 8601', () => {
    assert.equal(isoTime(0), '1970-01-01T00:00:00.000Z');
  });
});
