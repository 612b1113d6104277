import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DmsBackend } from '../../../../src/backends/dms/dmsBackend';
import type { TicketDraft } from '../../../../src/core/model/ticketDraft';
import { DbTicketsError } from '../../../../src/core/errors';
import type { FakeDms } from '../../../fakes/dms/fakeDms';
import { dmsDraft, useFakeDms } from '../../../fakes/dms/harness';

const draft = dmsDraft;

/** The files of the create journal under a store. */
function journalFiles(storeDir: string): string[] {
  const root = join(storeDir, 'dms-creates');
  return readdirSync(root).flatMap((profile) => readdirSync(join(root, profile)).map((name) => join(root, profile, name)));
}

/**
 * One draft id, one ticket: whatever is lost between this computer and DMS, and however far DMS's lists lag its
 * creates, submitting again — in the same run or a later one — never files a second ticket.
 */
for (const signatureVersion of ['v3', 'v1'] as const) describe(`DMS exactly-once create (${signatureVersion} signatures)`, function () {
  this.timeout(20_000);
  const dms = useFakeDms();
  let fake: FakeDms;
  let storeDir: string;
  /** A run of the backend on this computer (they share the store), like one `db-tickets` process. */
  let run: () => DmsBackend;
  beforeEach(() => {
    fake = dms.fake();
    storeDir = mkdtempSync(join(tmpdir(), 'dms-store-'));
    run = () => dms.open(fake, { signatureVersion }, undefined, undefined, { storeDir });
  });
  afterEach(() => {
    // Every retry, look-up and resumed run is signed afresh and verifies.
    assert.deepEqual(fake.rejections.filter((r) => /Signature|Nonce|TimeStamp/i.test(r.code)), []);
  });

  const unknownOutcome = (d: TicketDraft) => (e: DbTicketsError) => {
    assert.equal(e.kind, 'unavailable');
    assert.match(e.message, /whether DMS created it is unknown\./);
    assert.ok(e.message.includes(`Submit the same draft again (draft id ${d.id}): it finds this ticket by that id and goes on with it; it never files a second one.`), e.message);
    assert.doesNotMatch(e.message, /was not filed|submit .* elsewhere/i);
    return true;
  };

  it('a lost answer with a list that lags less than the wait: the same run finds its ticket and sends it for approval', async () => {
    fake.listLagMs = 150;
    fake.inject({ kind: 'dropAfterCommit', action: 'CreateOrder' });
    const submitted = await run().submit(draft());
    assert.equal(fake.orders.length, 1);
    assert.equal(fake.callsOf('CreateOrder').length, 1);
    assert.equal(submitted.id, String(fake.orders[0].OrderId));
    assert.equal(submitted.status.state, 'pending_approval');
  });

  it('a lost answer with a list that lags longer than the wait: unknown, and the next run finds the ticket instead of filing another', async () => {
    fake.listLagMs = 1_000;
    fake.inject({ kind: 'dropAfterCommit', action: 'CreateOrder' });
    const d = draft();
    await assert.rejects(run().submit(d), unknownOutcome(d));
    assert.equal(fake.orders.length, 1);
    const resumed = await run().submit(d);
    assert.equal(resumed.id, String(fake.orders[0].OrderId));
    assert.equal(resumed.status.state, 'pending_approval');
    assert.equal(fake.callsOf('CreateOrder').length, 1);
    assert.equal(fake.orders.length, 1);
  });

  it('a lost answer and a failed look-up: unknown, naming both; the next run resumes the one ticket', async () => {
    fake.inject({ kind: 'dropAfterCommit', action: 'CreateOrder' });
    // After the look-up before the create (the newest page holds all of the user's tickets), every ListOrders fails.
    fake.inject({ kind: '5xx', action: 'ListOrders', after: 1, times: 1_000 });
    const d = draft();
    await assert.rejects(run().submit(d), (e: DbTicketsError) => unknownOutcome(d)(e) && /Looking for its ticket failed too: DMS refused ListOrders/.test(e.message));
    fake.clearFaults();
    const resumed = await run().submit({ ...d });
    assert.equal(resumed.id, String(fake.orders[0].OrderId));
    assert.equal(fake.callsOf('CreateOrder').length, 1);
  });

  it('a create whose connection broke before DMS acted: the next run waits out the lag, then files it once', async () => {
    fake.inject({ kind: 'reset', action: 'CreateOrder' });
    const d = draft();
    await assert.rejects(run().submit(d), unknownOutcome(d));
    assert.equal(fake.orders.length, 0);
    const started = Date.now();
    const filed = await run().submit(d);
    assert.ok(Date.now() - started >= 1_500, 'it waited for the lag since the first create before deciding');
    assert.equal(fake.orders.length, 1);
    assert.equal(filed.id, String(fake.orders[0].OrderId));
  });

  it('a run cancelled while DMS was creating (as a killed process): the next run waits for the ticket to show and goes on with it', async () => {
    fake.listLagMs = 500;
    fake.inject({ kind: 'delay', action: 'CreateOrder', delayMs: 400 });
    const d = draft();
    const abort = new AbortController();
    const first = run().submit(d, { signal: abort.signal });
    while (fake.callsOf('CreateOrder').length === 0) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await assert.rejects(first, (e: DbTicketsError) => e.kind === 'cancelled' && /was cancelled after the request went to DMS, which may still create the ticket\. Submit the same draft again/.test(e.message));
    const resumed = await run().submit(d);
    assert.equal(fake.orders.length, 1);
    assert.equal(resumed.id, String(fake.orders[0].OrderId));
    assert.equal(fake.callsOf('CreateOrder').length, 1);
  });

  it('created but not sent for approval: the error names the ticket and the draft id; the next run sends the same ticket, however far the list lags', async () => {
    fake.listLagMs = 60_000;
    fake.inject({ kind: '5xx', action: 'SubmitOrderApproval', status: 500 });
    const d = draft();
    await assert.rejects(run().submit(d), (e: DbTicketsError) => {
      assert.match(e.message, /^Ticket #900001 was created, but sending it for approval failed: .* Submit the same draft again \(draft id [0-9a-f-]{36}\): it finds this ticket by that id and goes on with it; it never files a second one\.$/);
      return true;
    });
    const resumed = await run().submit(d);
    assert.equal(resumed.id, '900001');
    assert.equal(resumed.status.state, 'pending_approval');
    assert.equal(fake.orders.length, 1);
  });

  it('another computer with the same draft id finds the ticket in DMS once the lag is over', async () => {
    const d = draft();
    const first = await run().submit(d);
    const elsewhere = await dms.open(fake, { signatureVersion }).submit(d);
    assert.equal(elsewhere.id, first.id);
    assert.equal(fake.orders.length, 1);
  });

  it('a create DMS accepted without naming the ticket (empty or masked OrderIds) is found by its draft id', async () => {
    fake.inject({ kind: 'emptySuccess', action: 'CreateOrder' });
    const d = draft();
    await assert.rejects(run().submit(d), (e: DbTicketsError) => unknownOutcome(d)(e) && /\(it accepted it without naming the ticket\)/.test(e.message));
    assert.equal(fake.orders.length, 0, 'the fault answered before DMS acted');
    const filed = await run().submit(d);
    assert.equal(filed.id, String(fake.orders[0].OrderId));
  });

  it('a damaged journal record is read as "a create may have been sent": the ticket is looked for, then filed once', async () => {
    const d = draft();
    fake.inject({ kind: 'reset', action: 'CreateOrder' });
    await assert.rejects(run().submit(d));
    for (const file of journalFiles(storeDir)) writeFileSync(file, '{"draftId": "x", "sent');
    const filed = await run().submit(d);
    assert.equal(fake.orders.length, 1);
    assert.equal(filed.id, String(fake.orders[0].OrderId));
  });

  it('a caller key with spaces and brackets marks the ticket by its hash, and resumes like any draft id', async () => {
    const d = draft({ id: 'deploy [prod] #42' });
    const first = await run().submit(d);
    assert.match(fake.orders[0].Comment, /\[db-tickets draft sha256-[0-9a-f]{32}\]$/);
    const again = await dms.open(fake, { signatureVersion }).submit(d);
    assert.equal(again.id, first.id);
    assert.equal(fake.orders.length, 1);
  });

  it('a refused create is forgotten: submitting again (once fixed) files at once, without waiting for a lag', async () => {
    fake.inject({ kind: 'successFalse', action: 'CreateOrder', code: 'NoPermission' });
    const d = draft();
    await assert.rejects(run().submit(d), /DMS refused CreateOrder/);
    const started = Date.now();
    await run().submit(d);
    assert.ok(Date.now() - started < 1_500, 'no wait: nothing was pending');
    assert.equal(fake.orders.length, 1);
  });
});
