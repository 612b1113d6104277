import * as assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { DbTicketsError } from '../../../../../../src/core/errors';
import { ExportOutput } from '../../../../../../src/backends/local/db/export/exportOutput';

describe('export output', () => {
  it('waits whenever the destination is full, so buffered data stays bounded', async () => {
    let buffered = 0;
    let peak = 0;
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        setImmediate(() => {
          buffered -= chunk.length;
          done();
        });
      },
    });
    const write = out.write.bind(out);
    out.write = ((chunk: Buffer) => {
      buffered += chunk.length;
      peak = Math.max(peak, buffered);
      return write(chunk);
    }) as typeof out.write;
    const output = new ExportOutput(out, 'demo');
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50_000; i++) await output.push(line, 1);
    await output.finish();
    assert.equal(output.bytes, 5_000_000);
    assert.ok(peak <= 512 * 1024, `peak buffered ${peak} bytes`);
  });

  it('reports progress every 10,000 rows and at the end', async () => {
    const progress: number[] = [];
    const output = new ExportOutput(new Writable({ write: (_chunk, _encoding, done) => done() }), 'demo', (rows) => progress.push(rows));
    for (let i = 0; i < 25_000; i++) await output.push('1\n', 1);
    await output.finish();
    assert.deepEqual(progress, [10_000, 20_000, 25_000]);
  });

  it('a cancellation while waiting for the destination ends with a cancelled error', async () => {
    const controller = new AbortController();
    const stuck = new Writable({ highWaterMark: 1, write: () => undefined });
    const output = new ExportOutput(stuck, 'shop-dev', undefined, controller.signal);
    const waiting = output.push('x'.repeat(300_000), 1);
    assert.ok(waiting, 'the full destination makes the writer wait');
    controller.abort();
    await assert.rejects(waiting, (error: DbTicketsError) => error.kind === 'cancelled' && /The export from "shop-dev" was cancelled/.test(error.message));
  });
});
