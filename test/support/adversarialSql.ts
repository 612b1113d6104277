// Inputs that once made the SQL analysis quadratic (or overflow the stack), each a short unit repeated to any size:
// nested DELETEs, unclosed nested comments, EXPLAIN chains, thousands of tiny statements. The regression test and
// bench/analyze.bench.ts both use them.
export const adversarialUnits: readonly string[] = [
  '(DELETE ',
  'DO DELETE t ',
  'UPDATE t SET a = (UPDATE ',
  '/* ',
  'EXPLAIN ',
  'EXPLAIN ANALYZE ',
  'BEGIN; ',
  'WITH x AS (',
  '( ',
  ') ',
  'a.b.c.',
  'X ',
  '[',
  '$1 ',
  'CASE WHEN ',
  'ALTER TABLE t ALTER c TYPE ',
  'ALTER TABLE t STORED ',
  'ALTER TABLE t DEFAULT RANDOM ',
  'GRANT ALL ON t TO ',
  'CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW ',
  'DELIMITER //\n',
  "E'\\\\",
];

/** `unit` repeated to at least `bytes` characters (all units are ASCII). */
export function repeatTo(unit: string, bytes: number): string {
  return unit.repeat(Math.ceil(bytes / unit.length));
}
