import * as assert from 'node:assert/strict';
import { dialectOfEngine } from '../../../../src/core/sql/dialect';

describe('dialectOfEngine', () => {
  it('knows the engines as services name them, in any case', () => {
    const cases: Array<[string | undefined, string]> = [
      ['mysql', 'mysql'],
      ['MariaDB', 'mysql'],
      ['polardb', 'mysql'],
      ['oceanbase', 'mysql'],
      ['PostgreSQL', 'postgres'],
      ['postgres', 'postgres'],
      ['polardb_pg', 'postgres'],
      ['gpdb', 'postgres'],
    ];
    for (const [engine, dialect] of cases) assert.equal(dialectOfEngine(engine), dialect, String(engine));
  });

  it('falls back to generic for engines that speak neither, and when the engine is not known', () => {
    for (const engine of ['oracle', 'oceanbase_oracle', 'sqlserver', 'sqlite', '', undefined]) {
      assert.equal(dialectOfEngine(engine), 'generic', String(engine));
    }
  });
});
