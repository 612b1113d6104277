import { createReadStream } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { DownloadResult, OperationContext } from '../../core/backend/backend';
import { DbTicketsError } from '../../core/errors';
import { saveAtomically } from '../../files/atomicSave';
import { errorCode, fileFailure } from '../../files/fileErrors';
import type { Written } from '../../files/fingerprint';
import type { ResultFile } from './store/events';

/**
 * Where export results are kept for every member of a team store to download (its database), beside the executing
 * computer's own copy in the store folder.
 */
export interface ResultSite {
  /** Copies an export's result file there, streaming; fails (keeping nothing) past the size limit. */
  share(ticket: string, file: string, bytes: number): Promise<void>;
  download(ticket: string, recorded: ResultFile, target: string, ctx?: OperationContext): Promise<DownloadResult>;
}

/**
 * Saves a ticket's stored result at `target` (see `saveAtomically`: a temporary file renamed when complete, an
 * existing file replaced only then), after checking that the log's path stays inside the store folder and that
 * the file still has the size and SHA-256 the log recorded; a damaged result saves nothing.
 */
export async function downloadStoredResult(folder: string, ticket: string, recorded: ResultFile, target: string, ctx: OperationContext = {}): Promise<DownloadResult> {
  const source = await locateStoredResult(folder, ticket, recorded.file);
  const size = (await lstat(source)).size;
  if (size !== recorded.bytes) throw damaged(ticket, recorded, { bytes: size }, target);
  return saveVerifiedResult(createReadStream(source), { ticket, recorded, target, ctx, notOnto: [source], what: `read the stored result ${source}`, where: source });
}

export interface VerifiedSave {
  ticket: string;
  recorded: ResultFile;
  target: string;
  ctx: OperationContext;
  /** Files the target must not be (the stored result itself). */
  notOnto?: string[];
  /** For a failure of the source: what was being done, and the file or place it concerns. */
  what: string;
  where: string;
}

/**
 * Saves a result from `source` at the target (see `saveAtomically`), checking its size and SHA-256 against what the
 * history recorded while it passes: a damaged result saves nothing.
 */
export async function saveVerifiedResult(source: Readable, { ticket, recorded, target, ctx, notOnto = [], what, where }: VerifiedSave): Promise<DownloadResult> {
  const verify = (written: Written) => {
    if (written.bytes !== recorded.bytes || (recorded.sha256 !== undefined && written.sha256 !== recorded.sha256)) throw damaged(ticket, recorded, written, target);
  };
  try {
    const { bytes } = await saveAtomically(source, target, {
      signal: ctx.signal,
      notOnto,
      verify,
      onBytes: (done) => ctx.onProgress?.({ message: 'Downloading', done, total: recorded.bytes }),
    });
    return { path: target, bytes };
  } catch (error) {
    if (error instanceof DbTicketsError) throw error;
    if (ctx.signal?.aborted) {
      throw new DbTicketsError('cancelled', `The download to ${target} was cancelled; nothing was saved there (an existing file is left as it was). Download again when needed.`);
    }
    throw fileFailure(error, what, where, `Nothing was saved at ${target} (an existing file is left as it was).`);
  }
}

/**
 * The real path of a result the log names, relative to the store folder. A path that leaves the folder (absolute,
 * `..`, or a symbolic link pointing out) is refused: the log was edited or damaged, and nothing is read from there.
 */
export async function locateStoredResult(folder: string, ticket: string, file: string): Promise<string> {
  const parts = file.split('/');
  if (isAbsolute(file) || file.includes('\\') || parts.some((part) => part === '' || part === '.' || part === '..')) throw outside(folder, ticket, file);
  let real: string;
  try {
    real = await realpath(join(folder, ...parts));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new DbTicketsError(
        'not_found',
        `The result of #${ticket} (${file}) is missing from the store folder ${folder}: it was deleted, or the folder was copied without it. Re-submit the ticket as a new draft to export again.`,
      );
    }
    throw fileFailure(error, `read the result of #${ticket}`, join(folder, file), 'Nothing was saved.');
  }
  const root = await realpath(folder);
  if (!real.startsWith(root + sep)) throw outside(folder, ticket, file);
  if (!(await lstat(real)).isFile()) {
    throw new DbTicketsError('failed', `The result of #${ticket} (${file}) in the store folder ${folder} is not a regular file, so nothing was read. Re-submit the ticket as a new draft to export again.`);
  }
  return real;
}

function outside(folder: string, ticket: string, file: string): DbTicketsError {
  return new DbTicketsError(
    'failed',
    `The log records the result of #${ticket} at "${file}", which is outside the store folder ${folder}: the log was edited or damaged, so nothing was read from there. Restore the log's line for #${ticket} from a backup or version control.`,
  );
}

function damaged(ticket: string, recorded: ResultFile, found: Partial<Written> & { bytes: number }, target: string): DbTicketsError {
  const expected = `${recorded.bytes.toLocaleString('en-US')} bytes${recorded.sha256 ? ` (SHA-256 ${recorded.sha256.slice(0, 12)}…)` : ''}`;
  const actual = found.bytes !== recorded.bytes ? `${found.bytes.toLocaleString('en-US')} bytes` : `different content (SHA-256 ${found.sha256?.slice(0, 12)}…)`;
  return new DbTicketsError(
    'failed',
    `The stored result of #${ticket} (${recorded.file}) is damaged: the log records ${expected}, the file has ${actual}. Nothing was saved at ${target}. Restore the file from a backup, or re-submit the ticket as a new draft to export again.`,
  );
}
