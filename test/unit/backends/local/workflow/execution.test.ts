import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { TicketStore } from '../../../../../src/backends/local/store/ticketStore';
import { DbTicketsError } from '../../../../../src/core/errors';
import { draft, useMariadbShop, usePostgresShop, useStore } from '../../../../support/workflowHarness';

describe('local workflow: execution that does not go to plan', function () {
  this.timeout(60_000);
  const shop = usePostgresShop('shop');
  const store = useStore();

  it('a change that fails mid-script is failed, with the stop point and what happened to the other statements', async () => {
    const alice = store.backend('alice', [shop()]);
    const sql = "UPDATE customers SET country = 'NL' WHERE id = 1;\nINSERT INTO customers (id, name) VALUES (4, 'Dan');\nUPDATE orders SET total = 1 WHERE id = 10;";
    const { id } = await alice.submit(draft({ kind: 'DATA_CHANGE', title: 'Add Dan', sql }));
    await alice.act(id, { action: 'approve' });
    // Between approval and execution someone else takes id 4: the script now fails at its second statement.
    await shop().run("INSERT INTO customers VALUES (4, 'Eve', NULL, NULL)");

    const failed = await alice.act(id, { action: 'execute' });
    assert.deepEqual(failed.status, { state: 'failed', native: 'failed' });
    assert.match(
      failed.execution!.message!,
      /^Statement 2 \(INSERT, line 2 of the ticket's SQL\) failed on "shop": .*duplicate key.* The statements before it were rolled back, so nothing changed\. Fix the SQL and re-submit the ticket as a new draft\.$/,
    );
    assert.deepEqual(failed.execution?.statements?.map((statement) => statement.status), ['rolled_back', 'failed', 'skipped']);
    assert.equal(failed.history.at(-1)?.action, 'execution failed at statement 2');
    assert.deepEqual(failed.actions, ['comment']);
    assert.deepEqual(await shop().rows('SELECT country FROM customers WHERE id = 1'), [{ country: 'GB' }]);
    const redraft = await alice.redraft(id);
    assert.equal(redraft.sql, sql, 'a failed ticket can be fixed in a new draft');
  });

  it('cancelling a running export deletes the partial file and leaves the ticket approved', async () => {
    const alice = store.backend('alice', [shop()]);
    const { id } = await alice.submit(draft({ title: 'Export a lot', sql: "SELECT g AS n, repeat('x', 200) AS filler FROM generate_series(1, 5000000) AS g" }));
    await alice.act(id, { action: 'approve' });
    const controller = new AbortController();
    let sawPartial = false;
    await assert.rejects(
      alice.act(id, { action: 'execute' }, {
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.done && progress.done > 0 && !controller.signal.aborted) {
            sawPartial = existsSync(join(store.folder(), 'results', id, 'result.csv.partial'));
            controller.abort();
          }
        },
      }),
      (error: unknown) => {
        assert.ok(error instanceof DbTicketsError);
        assert.equal(error.kind, 'cancelled');
        assert.equal(error.message, 'Execution of #1 was cancelled. The export was cancelled before it finished and the partial file was deleted. The ticket is approved again: execute it when ready.');
        return true;
      },
    );
    assert.ok(sawPartial, 'the export was running when it was cancelled');
    assert.deepEqual(readdirSync(join(store.folder(), 'results', id)), []);
    const detail = await alice.get(id);
    assert.deepEqual(detail.status, { state: 'approved', native: 'approved' });
    assert.deepEqual(detail.history.slice(-2).map((event) => event.action), ['execution started', 'execution cancelled']);
    assert.equal(detail.execution?.hasResult, false);
  });

  it('the statement timeout applies to executions', async () => {
    const alice = store.backend('alice', [shop()], { statementTimeoutMs: 300 });
    const { id } = await alice.submit(draft({ title: 'Slow export', sql: 'SELECT pg_sleep(5) AS slept' }));
    await alice.act(id, { action: 'approve' });
    const failed = await alice.act(id, { action: 'execute' });
    assert.equal(failed.status.state, 'failed');
    assert.match(failed.execution!.message!, /^The export on "shop" failed: Stopped by the statement timeout of 300 ms\. Make the statement faster \(an index, a narrower WHERE\) or raise the timeout\.$/);
    assert.equal(existsSync(join(store.folder(), 'results', id, 'result.csv')), false);
  });

  it('a change whose process died is recorded as failed by the next reader', async () => {
    const alice = store.backend('alice', [shop()]);
    const { id } = await alice.submit(draft({ kind: 'DATA_CHANGE', title: 'Bump order 10', sql: 'UPDATE orders SET total = total + 1 WHERE id = 10;' }));
    await alice.act(id, { action: 'approve' });
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    await new TicketStore(store.folder()).transact(() => ({
      events: [{ type: 'execution_started', ticket: id, at: new Date().toISOString(), by: 'alice', host: hostname(), pid: deadPid }],
      result: undefined,
    }));
    const after = await alice.get(id);
    assert.equal(after.status.state, 'failed');
    assert.equal(after.history.at(-1)?.action, 'execution interrupted');
    assert.match(after.execution!.message!, new RegExp(`^The change stopped before its outcome was recorded: its process \\(pid ${deadPid}\\) on this computer is gone\\. .* Check the database, then re-submit the ticket as a new draft if it is still needed\\.$`));
  });

  it('a download can be cancelled, and a missing result is reported', async () => {
    const alice = store.backend('alice', [shop()]);
    const { id } = await alice.submit(draft());
    await alice.act(id, { action: 'approve' });
    await alice.act(id, { action: 'execute' });
    const target = join(store.folder(), 'out.csv');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(alice.download(id, { path: target }, { signal: controller.signal }), (error: unknown) => {
      assert.ok(error instanceof DbTicketsError);
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.message, `The download to ${target} was cancelled; nothing was saved there (an existing file is left as it was). Download again when needed.`);
      return true;
    });
    assert.equal(existsSync(target), false);

    rmSync(join(store.folder(), 'results'), { recursive: true });
    await assert.rejects(alice.download(id, { path: target }), (error: unknown) => {
      assert.ok(error instanceof DbTicketsError);
      assert.equal(error.kind, 'not_found');
      assert.equal(
        error.message,
        `The result of #1 (results/1/result.csv) is missing from the store folder ${store.folder()}: it was deleted, or the folder was copied without it. Re-submit the ticket as a new draft to export again.`,
      );
      return true;
    });
  });
});

describe('local workflow: a change on MariaDB, where DDL commits statement by statement', function () {
  this.timeout(120_000);
  const shop = useMariadbShop('shop');
  const store = useStore();

  it('a failure mid-script names the stop point and says the earlier statements stay applied', async () => {
    const alice = store.backend('alice', [shop()]);
    const sql = 'ALTER TABLE customers ADD COLUMN vip tinyint NOT NULL DEFAULT 0;\nALTER TABLE orders ADD COLUMN note varchar(20);\nALTER TABLE nosuch ADD COLUMN x integer;\nALTER TABLE orders ADD COLUMN late integer;';
    const submitted = await alice.submit(draft({ kind: 'SCHEMA_CHANGE', title: 'Three columns', sql }));
    assert.equal(submitted.status.state, 'pending_approval');
    const prechecked = await alice.get(submitted.id);
    assert.ok(
      prechecked.precheck?.items.some((item) => item.status === 'warning' && /^Statement 1 \(ALTER TABLE, line 1 of the ticket's SQL\) was not checked on "shop"/.test(item.message)),
      'MySQL DDL cannot be tried in a rolled-back transaction, and the precheck says so',
    );
    await alice.act(submitted.id, { action: 'approve' });
    const failed = await alice.act(submitted.id, { action: 'execute' });
    assert.equal(failed.status.state, 'failed');
    assert.match(
      failed.execution!.message!,
      /^Statement 3 \(ALTER TABLE, line 3 of the ticket's SQL\) failed on "shop": .*nosuch.* The 2 statements before it were committed and stay applied; the statements after it were skipped\. Fix the SQL and re-submit the ticket as a new draft\.$/,
    );
    assert.deepEqual(failed.execution?.statements?.map((statement) => statement.status), ['succeeded', 'succeeded', 'failed', 'skipped']);
    assert.equal(failed.history.at(-1)?.action, 'execution failed at statement 3');
    assert.deepEqual(await shop().rows("SELECT count(*) AS n FROM information_schema.columns WHERE table_schema = 'shop' AND column_name IN ('vip', 'note', 'late')"), [{ n: 2 }]);
  });
});

describe('local workflow: two users acting on one ticket at once', function () {
  this.timeout(60_000);
  const shop = usePostgresShop('shop');
  const store = useStore();

  it('only one of two simultaneous executions runs; the other is told the ticket is taken', async () => {
    const alice = store.backend('alice', [shop()]);
    const aliceOtherWindow = store.backend('alice', [shop()]);
    const { id } = await alice.submit(draft({ kind: 'DATA_CHANGE', title: 'Bump order 10', sql: 'UPDATE orders SET total = total + 1 WHERE id = 10;' }));
    await alice.act(id, { action: 'approve' });
    const outcomes = await Promise.allSettled([alice.act(id, { action: 'execute' }), aliceOtherWindow.act(id, { action: 'execute' })]);
    const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    assert.equal(succeeded.length, 1);
    assert.equal(refused.length, 1);
    assert.ok(refused[0].reason instanceof DbTicketsError);
    assert.match(refused[0].reason.message, /^Ticket #1 cannot be executed: it is (executing|succeeded)\. A ticket can be executed only while approved\./);
    assert.deepEqual(await shop().rows('SELECT total FROM orders WHERE id = 10'), [{ total: '13.50' }], 'the change ran once');
  });
});
