import * as assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalBackend } from '../../../../src/backends/local/localBackend';
import { DbTicketsError } from '../../../../src/core/errors';
import { saveAtomically } from '../../../../src/files/atomicSave';
import { fileFailure } from '../../../../src/files/fileErrors';
import { seedExport } from '../../../support/storedExport';

const csv = 'id\n' + Array.from({ length: 2000 }, (_, i) => `${i + 1}`).join('\n') + '\n';

function refusedWith(kind: DbTicketsError['kind'], message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof DbTicketsError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  };
}

describe('Local results: downloads that do not go to plan', () => {
  let root: string;
  let store: string;
  let out: string;
  let backend: LocalBackend;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'db-tickets-downloads-'));
    store = join(root, 'store');
    out = join(root, 'out');
    mkdirSync(out);
    backend = new LocalBackend({ storeFolder: store, actor: 'bob', connections: () => [], openEngine: () => Promise.reject(new Error('no database here')) });
  });
  afterEach(async () => {
    await backend.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('saves the stored result through a temporary file, replacing an existing file only when complete', async () => {
    await seedExport(store, csv);
    const target = join(out, 'keep.csv');
    writeFileSync(target, 'old content\n');
    const saved = await backend.download('1', { path: target });
    assert.deepEqual(saved, { path: target, bytes: csv.length });
    assert.equal(readFileSync(target, 'utf8'), csv);
    assert.deepEqual(readdirSync(out), ['keep.csv'], 'no temporary file is left beside it');
  });

  it('(2) a full disk leaves an existing file as it was, and no temporary file', async () => {
    const target = join(out, 'keep.csv');
    writeFileSync(target, 'keep me\n');
    // Writing to /dev/full fails with ENOSPC, like a full disk.
    await assert.rejects(
      saveAtomically(Readable.from([Buffer.from(csv)]), target, { openTemporary: () => createWriteStream('/dev/full') }),
      refusedWith('failed', /^Could not save .*keep\.csv: the disk is full \(or your quota is used up\) \(ENOSPC\)\. The existing .*keep\.csv was left as it was\. Free some space or choose another disk, then try again\.$/),
    );
    assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
    assert.deepEqual(readdirSync(out), ['keep.csv']);
  });

  it('(2) a device at the target is refused and left in place', async () => {
    await seedExport(store, csv);
    await assert.rejects(backend.download('1', { path: '/dev/full' }), refusedWith('usage', /^Could not save \/dev\/full: it is a device or other special file, not a regular file/));
    assert.ok(statSync('/dev/full').isCharacterDevice());
  });

  it('(3) a truncated stored result is detected before anything is saved', async () => {
    const { file } = await seedExport(store, csv);
    writeFileSync(file, csv.slice(0, 1000));
    const target = join(out, 'keep.csv');
    writeFileSync(target, 'keep me\n');
    await assert.rejects(
      backend.download('1', { path: target }),
      refusedWith('failed', /^The stored result of #1 \(results\/1\/result\.csv\) is damaged: the log records 8,896 bytes \(SHA-256 [0-9a-f]{12}…\), the file has 1,000 bytes\. Nothing was saved at .*keep\.csv\. Restore the file from a backup, or re-submit the ticket as a new draft to export again\.$/),
    );
    assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
  });

  it('(3) a stored result changed in place (same size) fails its checksum and saves nothing', async () => {
    const { file } = await seedExport(store, csv);
    writeFileSync(file, csv.replace('1\n2', '9\n2'));
    const target = join(out, 'result.csv');
    await assert.rejects(backend.download('1', { path: target }), refusedWith('failed', /is damaged: the log records 8,896 bytes \(SHA-256 [0-9a-f]{12}…\), the file has different content \(SHA-256 [0-9a-f]{12}…\)\. Nothing was saved/));
    assert.deepEqual(readdirSync(out), []);
  });

  it('(3) the stored result itself is refused as the target, also through another path to it', async () => {
    const { file } = await seedExport(store, csv);
    for (const target of [file, join(store, 'results', '..', 'results', '1', 'result.csv')]) {
      await assert.rejects(backend.download('1', { path: target }), refusedWith('usage', /it is the stored file being downloaded, which must stay as it is\. Name another file to save it to\.$/));
    }
    assert.equal(readFileSync(file, 'utf8'), csv);
  });

  it('(3) a symbolic link at the target is refused, and what it points to is untouched', async () => {
    await seedExport(store, csv);
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    const link = join(out, 'result.csv');
    symlinkSync(victim, link);
    await assert.rejects(
      backend.download('1', { path: link }),
      refusedWith('usage', /^Could not save .*result\.csv: .*result\.csv is a symbolic link, and files are not written through links \(ELOOP\)\. Nothing was written through it\. Name the file the link points to, or another file\.$/),
    );
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
  });

  it('(6) a result path in the log that leaves the store is refused and reported', async () => {
    const secret = join(root, 'secret.txt');
    writeFileSync(secret, 'not yours\n');
    const escapes = ['../../../../etc/shadow', '../secret.txt', secret, 'results/1/../../../secret.txt'];
    for (const file of escapes) {
      rmSync(store, { recursive: true, force: true });
      await seedExport(store, csv, { file });
      await assert.rejects(
        backend.download('1', { path: join(out, 'stolen.txt') }),
        refusedWith('failed', new RegExp(`^The log records the result of #1 at "${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}", which is outside the store folder .*: the log was edited or damaged, so nothing was read from there\\.`)),
      );
    }
    rmSync(store, { recursive: true, force: true });
    const { file } = await seedExport(store, 'not yours\n');
    rmSync(file);
    symlinkSync(secret, file);
    await assert.rejects(backend.download('1', { path: join(out, 'stolen.txt') }), refusedWith('failed', /which is outside the store folder/));
    assert.deepEqual(readdirSync(out), []);
  });

  it('a folder, or a file where a folder should be, is named in words', async () => {
    await seedExport(store, csv);
    await assert.rejects(backend.download('1', { path: out }), refusedWith('usage', /^Could not save .*out: .*out is a folder \(EISDIR\)\. Nothing was saved\. Name a file, for example one inside that folder\.$/));
    writeFileSync(join(out, 'plain'), '');
    await assert.rejects(backend.download('1', { path: join(out, 'plain', 'result.csv') }), refusedWith('usage', /part of the path .* is a file, not a folder \(ENOTDIR\)/));
  });

  it('cancelling a download leaves an existing file as it was', async () => {
    await seedExport(store, csv);
    const target = join(out, 'keep.csv');
    writeFileSync(target, 'keep me\n');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(backend.download('1', { path: target }, { signal: controller.signal }), refusedWith('cancelled', /nothing was saved there \(an existing file is left as it was\)/));
    assert.equal(readFileSync(target, 'utf8'), 'keep me\n');
    assert.deepEqual(readdirSync(out), ['keep.csv']);
  });

  it('every filesystem error code on these paths reads as what, why and what to do', () => {
    const codes = ['EISDIR', 'EPERM', 'EACCES', 'ENOTDIR', 'ENOSPC', 'EEXIST', 'ELOOP'];
    for (const code of codes) {
      const error = fileFailure(Object.assign(new Error(`${code}: raw`), { code }), 'save /x/result.csv', '/x/result.csv', 'Nothing was saved.');
      assert.match(error.message, new RegExp(`^Could not save /x/result\\.csv: [a-z/].+ \\(${code}\\)\\. Nothing was saved\\. [A-Z].+\\.$`), code);
      assert.doesNotMatch(error.message, /raw/, code);
    }
  });
});
