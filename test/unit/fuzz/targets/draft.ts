import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkDraft } from '../../../../src/core/draft/checkDraft';
import { type DraftHeader, parseDraftDocument, readBackendFields, readEstimatedRows, renderDraftDocument } from '../../../../src/core/draft/draftDocument';
import { TicketKind } from '../../../../src/core/model/ticketKind';
import { SqlDialect } from '../../../../src/core/sql/dialect';
import { anyText, bounded, type FuzzProperty } from '../harness';
import { sqlText } from './sql';

/** A header value as read back: each line break, with the blanks around it, is one space; the ends are trimmed. */
const flattened = (value: string): string => value.replace(/\s*[\r\n]+\s*/g, ' ').trim();

const value = fc.oneof(anyText(40), fc.array(fc.constantFrom('a', ' ', '\n', '\r\n', ':', '--', 'Title: x', '\t'), { maxLength: 8 }).map((p) => p.join('')));
/** List items the document can hold: no separator inside, not blank. */
const item = (separator: string) => value.filter((v) => !v.includes(separator) && flattened(v) !== '');

const header: fc.Arbitrary<DraftHeader> = fc.record(
  {
    kind: fc.constantFrom(...TicketKind.options),
    kindReason: value,
    profile: value,
    database: value,
    title: value,
    reason: value,
    stakeholders: fc.array(item(','), { maxLength: 4 }),
    estimatedRows: fc.maxSafeNat(),
    attachments: fc.array(item('|'), { maxLength: 3 }),
    backendFields: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    draftId: value,
  },
  { requiredKeys: ['kind', 'kindReason', 'profile', 'database', 'title', 'reason'] },
);

/** SQL as a draft holds it: anything, but not starting with comment lines, which read as part of the header. */
const draftSql = fc.oneof(sqlText, anyText(200)).map((sql) => (/^\s*--/.test(sql) ? `SELECT 1\n${sql}` : sql));

export const draftProperties: FuzzProperty[] = [
  {
    target: 'draft',
    name: 'renderDraftDocument then parseDraftDocument gives the fields back (flattened to one line) and the SQL byte for byte',
    runs: 2000,
    benchShare: 0.08,
    property: () =>
      fc.property(
        header,
        draftSql,
        bounded((h: DraftHeader, sql: string) => {
          const parsed = parseDraftDocument(renderDraftDocument(h, sql));
          assert.equal(parsed.sql, sql);
          assert.deepEqual(parsed.unknownFields, []);
          assert.equal(parsed.kind, h.kind);
          for (const field of ['profile', 'database', 'title', 'reason'] as const) assert.equal(parsed[field], flattened(h[field]), field);
          assert.deepEqual(parsed.stakeholders, (h.stakeholders ?? []).map(flattened));
          assert.deepEqual(parsed.attachments, (h.attachments ?? []).map(flattened));
          assert.equal(readEstimatedRows(parsed.estimatedRows), h.estimatedRows);
          assert.deepEqual(readBackendFields(parsed.backendFields), { ok: true, fields: JSON.parse(JSON.stringify(h.backendFields ?? {})) });
          assert.equal(parsed.draftId, h.draftId ? flattened(h.draftId) : '');
        }),
      ),
  },
  {
    target: 'draft',
    name: 'checkDraft on any document: a draft or problems, never an exception',
    runs: 2000,
    benchShare: 0.08,
    property: () =>
      fc.property(
        fc.oneof(
          anyText(400),
          fc.tuple(header, draftSql).map(([h, sql]) => renderDraftDocument(h, sql)),
          fc.array(fc.oneof(fc.constantFrom('-- Kind: DATA_EXPORT', '-- Kind DATA_CHANGE', '-- Titel: x', '-- Draft id: d', '-- Estimated rows: 1,2', '-- Backend fields: {', '-- Attachments: a | b', '--', ''), sqlText), { maxLength: 12 }).map((lines) => lines.join('\n')),
        ),
        fc.constantFrom(...SqlDialect.options),
        fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
        bounded((text: string, dialect: SqlDialect, id: string | undefined) => {
          const check = checkDraft(text, { dialect, id });
          if (check.ok) {
            assert.equal(typeof check.draft.sql, 'string');
            assert.ok(check.draft.sql.length <= text.length);
          } else {
            assert.ok(check.problems.length > 0);
            for (const problem of check.problems) assert.ok(problem.line === undefined || (problem.line >= 1 && problem.line <= text.split('\n').length + 1), `line ${problem.line}`);
          }
        }),
      ),
  },
];
