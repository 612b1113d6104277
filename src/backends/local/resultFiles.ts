import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
  sha256: string;
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

/** Size and SHA-256 (hex) of a file as it is on disk. */
export async function fingerprint(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  return { bytes, sha256: hash.digest('hex') };
}
