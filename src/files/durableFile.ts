import { randomBytes } from 'node:crypto';
import { open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces `file` with `data` so that a crash leaves the old or the new content, never a mix, and returns only once
 * the new content and its directory entry are on disk. Concurrent replacements each write their own temporary file;
 * the last renamed wins.
 */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  await writeThenRename(file, data, { flush: true });
  await syncFolder(dirname(file));
}

/**
 * Replaces `file` with `data` at once for every reader (a new file renamed over it), without waiting for the disk: a
 * power cut may leave it empty or cut, so it is for caches that check their own content.
 */
export async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  await writeThenRename(file, data, { flush: false });
}

async function writeThenRename(file: string, data: string | Uint8Array, { flush }: { flush: boolean }): Promise<void> {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, data, { flush });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Flushes a file's content to disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a new or renamed file's directory entry durable too. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the file itself is synced.
  } finally {
    await handle.close();
  }
}
