import * as assert from 'node:assert/strict';
import { renderDraftDocument } from '../../../../src/core/draft/draftDocument';
import { summarizeDraft } from '../../../../src/core/draft/draftSummary';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('stored draft summary', () => {
  it('reads the title, kind, profile and database from a rendered draft', () => {
    const text = renderDraftDocument({ kind: 'DATA_EXPORT', kindReason: 'chosen by command', profile: 'dms-prod', database: 'shop', title: '导出 客户', reason: 'report' }, 'SELECT 1;');
    assert.deepEqual(summarizeDraft(utf8(text)), { title: '导出 客户', kind: 'DATA_EXPORT', profile: 'dms-prod', database: 'shop' });
  });

  it('gives empty fields for a draft whose header lost them, and reads past a byte order mark', () => {
    assert.deepEqual(summarizeDraft(utf8('\uFEFF-- Title:   Weekly  \nSELECT 1;')), { title: 'Weekly', kind: '', profile: '', database: '' });
    assert.deepEqual(summarizeDraft(utf8('')), { title: '', kind: '', profile: '', database: '' });
  });

  it('refuses bytes that are not UTF-8 text, or hold a NUL, as no draft', () => {
    assert.equal(summarizeDraft(Uint8Array.from([0x2d, 0x2d, 0x20, 0xc3, 0x28, 0xff, 0xfe])), undefined);
    assert.equal(summarizeDraft(Uint8Array.from([0xd5, 0xe2, 0xca, 0xc7])), undefined, 'GBK text');
    assert.equal(summarizeDraft(utf8('-- Title: x\n\0\0\0')), undefined);
  });
});
