import { randomBytes } from 'node:crypto';
import { createWriteStream, type Stats } from 'node:fs';
import { lstat, mkdir, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DbTicketsError } from '../core/errors';
import { syncFile, syncFolder } from './durableFile';
import { errorCode, fileFailure } from './fileErrors';
import { fingerprinting, type Written } from './fingerprint';

export interface SaveOptions {
  signal?: AbortSignal;
  /** Called with the bytes written so far. */
  onBytes?: (bytes: number) => void;
  /** Checks what was written before it takes the target's name; throws to refuse (nothing is saved then). */
  verify?: (written: Written) => void;
  /** Files the target must not be (the source itself). */
  notOnto?: readonly string[];
  /** Opens the temporary file for writing; the default creates it exclusively. */
  openTemporary?: (path: string) => Writable;
}

/**
 * Streams `source` to `target` without ever leaving a partial or damaged file under the target's name: it is
 * written to a new temporary file beside the target, flushed to disk, checked, and renamed over the target only
 * when complete. An existing target is replaced only then; on any failure or cancellation it is left as it was and
 * the temporary file is deleted. A symbolic link, folder or device at the target is refused, never written through.
 * Filesystem failures throw a DbTicketsError saying what, why and what to do; errors of `source` and
 * cancellations are thrown as they are, for the caller to describe.
 */
export async function saveAtomically(source: Readable, target: string, options: SaveOptions = {}): Promise<Written> {
  await checkTarget(target, options.notOnto ?? []);
  const untouched = await describeUntouched(target);
  const folder = dirname(target);
  await mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw fileFailure(error, `create the folder ${folder}`, folder, 'Nothing was saved.');
  });
  const temporary = join(folder, `.${basename(target)}.${randomBytes(4).toString('hex')}.part`);
  const counter = fingerprinting(options.onBytes);
  let fileError: unknown;
  try {
    const out = (options.openTemporary ?? ((path) => createWriteStream(path, { flags: 'wx' })))(temporary);
    out.once('error', (error: Error) => (fileError ??= error));
    try {
      await pipeline(source, counter.stream, out, { signal: options.signal });
    } catch (error) {
      if (error === fileError) throw fileFailure(error, `save ${target}`, target, untouched);
      throw error;
    }
    const written = counter.written();
    options.verify?.(written);
    await syncFile(temporary).catch((error: unknown) => {
      throw fileFailure(error, `save ${target}`, target, untouched);
    });
    await checkTarget(target, options.notOnto ?? []);
    await rename(temporary, target).catch((error: unknown) => {
      throw fileFailure(error, `save ${target}`, target, untouched);
    });
    await syncFolder(folder);
    return written;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** What a failure leaves at `target`, as a sentence. */
async function describeUntouched(target: string): Promise<string> {
  const existing = await lstat(target).catch(() => undefined);
  return existing ? `The existing ${target} was left as it was.` : `Nothing was saved at ${target}.`;
}

/** Refuses a target that is a link, a folder, a device or other special file, or one of `notOnto`. */
export async function checkTarget(target: string, notOnto: readonly string[]): Promise<void> {
  let found: Stats | undefined;
  try {
    found = await lstat(target);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw fileFailure(error, `save ${target}`, target, 'Nothing was saved.');
  }
  if (found?.isSymbolicLink()) {
    throw fileFailure(Object.assign(new Error('symbolic link'), { code: 'ELOOP' }), `save ${target}`, target, 'Nothing was written through it.');
  }
  if (found?.isDirectory()) throw fileFailure(Object.assign(new Error('folder'), { code: 'EISDIR' }), `save ${target}`, target, 'Nothing was saved.');
  if (found && !found.isFile()) {
    throw new DbTicketsError('usage', `Could not save ${target}: it is a device or other special file, not a regular file, so it is not replaced. Name a regular file instead.`);
  }
  for (const protectedFile of notOnto) {
    if (await sameFile(target, found, protectedFile)) {
      throw new DbTicketsError('usage', `Could not save ${target}: it is the stored file being downloaded, which must stay as it is. Name another file to save it to.`);
    }
  }
}

async function sameFile(target: string, targetStats: Stats | undefined, other: string): Promise<boolean> {
  const otherStats = await lstat(other).catch(() => undefined);
  if (targetStats && otherStats && targetStats.dev === otherStats.dev && targetStats.ino === otherStats.ino) return true;
  const [targetFolder, otherPath] = await Promise.all([realpath(dirname(target)).catch(() => undefined), realpath(other).catch(() => undefined)]);
  return targetFolder !== undefined && otherPath !== undefined && join(targetFolder, basename(target)) === otherPath;
}
