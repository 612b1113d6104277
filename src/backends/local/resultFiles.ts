import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { syncFile, syncFolder, writeFileDurably } from '../../files/durableFile';
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
  await syncFile(partial);
  await rename(partial, final);
  await syncFolder(dirname(final));
}

export async function writeMetadata(folder: string, metadata: ResultMetadata): Promise<void> {
  const file = join(folder, metadataFile(metadata.ticket));
  await mkdir(dirname(file), { recursive: true });
  await writeFileDurably(file, JSON.stringify(metadata, null, 2) + '\n');
}
