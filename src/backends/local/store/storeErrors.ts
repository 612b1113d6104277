import { DbTicketsError } from '../../../core/errors';
import { errorCode } from '../../../files/fileErrors';

/** The store's folder (or a file in it) cannot be created or written: says why and what to do. */
export function unwritableStore(file: string, error: unknown): DbTicketsError {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file, error);
  const why =
    code === 'ENOTDIR'
      ? 'part of its path is a file, not a folder'
      : code === 'EROFS'
        ? 'it is on a read-only file system'
        : code === 'EACCES' || code === 'EPERM'
          ? 'you have no permission to create files there'
          : `${code ?? 'error'}: ${(error as Error | undefined)?.message ?? String(error)}`;
  return new DbTicketsError(
    'config',
    `The ticket store ${file} cannot be written (${why}): DB Tickets records every ticket there. Make the folder writable, or set the profile's "store" to a folder you can write; nothing was recorded.`,
    { cause: error },
  );
}

/** An append failed part-way and was undone. */
export function appendFailed(file: string, error: unknown): DbTicketsError {
  const code = errorCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') return diskFull(file, error);
  return new DbTicketsError('unavailable', `Writing the ticket store ${file} failed (${code ?? (error as Error).message}), so nothing was recorded. Try again.`, { cause: error });
}

function diskFull(file: string, error: unknown): DbTicketsError {
  return new DbTicketsError('unavailable', `The disk holding the ticket store ${file} is full, so nothing was recorded. Free some space and try again.`, { cause: error });
}
