import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DownloadResult, OperationContext } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import type { ExportFormat } from './db/engine';

/** Where an export's result lives, relative to the store folder (forward slashes, as recorded in the log). */
export function resultFile(ticketId: string, format: ExportFormat): string {
  return `results/${ticketId}/result.${format}`;
}

/** The metadata file beside a result: what was exported, from where, approved by whom. */
export function metadataFile(ticketId: string): string {
  return `results/${ticketId}/metadata.json`;
}

export interface ResultMetadata {
  ticket: string;
  title: string;
  database: string;
  sql: string;
  submitter: string;
  approver?: string;
  executedBy: string;
  exportedAt: string;
  format: ExportFormat;
  rows: number;
  bytes: number;
  columns: string[];
}

/** Flushes a file to disk and gives it its final name, so a result either exists whole or not at all. */
export async function commitFile(partial: string, final: string): Promise<void> {
  const handle = await open(partial, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(partial, final);
}

export async function writeMetadata(folder: string, metadata: ResultMetadata): Promise<void> {
  const file = join(folder, metadataFile(metadata.ticket));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.partial`, JSON.stringify(metadata, null, 2) + '\n');
  await commitFile(`${file}.partial`, file);
}

/** Copies `source` to `target` with progress in bytes; a failed or cancelled copy leaves no partial target. */
export async function copyWithProgress(source: string, target: string, ctx: OperationContext = {}): Promise<DownloadResult> {
  const total = (await stat(source)).size;
  let done = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      done += chunk.length;
      ctx.onProgress?.({ message: 'Downloading', done, total });
      callback(null, chunk);
    },
  });
  await mkdir(dirname(target), { recursive: true });
  try {
    await pipeline(createReadStream(source), counter, createWriteStream(target), { signal: ctx.signal });
  } catch (error) {
    await rm(target, { force: true });
    if (ctx.signal?.aborted) throw new DbTicketsError('cancelled', `The download to ${target} was cancelled; the partial file was deleted. Download again when needed.`);
    throw new DbTicketsError('failed', `Could not write the result to ${target}: ${(error as Error).message} Check the folder exists and is writable, then download again.`, { cause: error });
  }
  return { path: target, bytes: done };
}
