import * as assert from 'node:assert/strict';
import { analyzeSql } from '../../../../src/core/rules/analyzeSql';
import { type RiskRuleId, riskRules } from '../../../../src/core/rules/riskRules';

/** SQL that sets off each rule, for the export rules as a data export. */
const examples: Record<RiskRuleId, string> = {
  unterminated: "SELECT 'never closed",
  'hidden-effect': 'SELECT * FROM t FOR UPDATE',
  'drop-object': 'DROP SCHEMA s',
  truncate: 'TRUNCATE t',
  'delete-without-where': 'DELETE FROM t',
  'update-without-where': 'UPDATE t SET a = 1',
  'grant-all': 'GRANT ALL ON t TO bob',
  'grant-to-public': 'GRANT SELECT ON t TO PUBLIC',
  'alter-rewrites-table': 'ALTER TABLE t MODIFY c bigint',
  'select-star': 'SELECT * FROM t LIMIT 5',
  'export-without-limit': 'SELECT a FROM t',
};

describe('the risk rule catalogue', () => {
  it('describes every rule the lints apply, each at the severity its risks have', () => {
    for (const [rule, sql] of Object.entries(examples) as Array<[RiskRuleId, string]>) {
      const risks = analyzeSql(sql, { dialect: 'generic', ticketKind: 'DATA_EXPORT' }).statements.flatMap((s) => s.risks);
      const risk = risks.find((r) => r.rule === rule);
      assert.ok(risk, `${sql} sets off ${rule}; it gave ${risks.map((r) => r.rule).join(', ') || 'nothing'}`);
      assert.equal(risk.severity, riskRules[rule].severity, rule);
    }
  });

  it('gives each rule a one-line summary and a description that says what to do', () => {
    for (const [id, rule] of Object.entries(riskRules)) {
      assert.ok(rule.summary.length > 0 && rule.summary.length <= 60 && !rule.summary.includes('\n'), id);
      assert.match(rule.description, /\. [A-Z][^.]*(\.|…)/, `${id}: the why, then what to do`);
    }
  });
});
