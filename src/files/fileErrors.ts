import { DbTicketsError, type ErrorKind } from '../core/errors';

interface Explanation {
  why: string;
  fix: string;
  kind: ErrorKind;
}

/** What each filesystem error means for a file being read or saved, and what the user can do about it. */
function explain(code: string | undefined, path: string): Explanation | undefined {
  switch (code) {
    case 'EISDIR':
      return { why: `${path} is a folder`, fix: 'Name a file, for example one inside that folder.', kind: 'usage' };
    case 'ENOTDIR':
      return { why: `part of the path ${path} is a file, not a folder`, fix: 'Check the path and name a file in an existing folder.', kind: 'usage' };
    case 'EACCES':
    case 'EPERM':
      return { why: `the system does not allow it here (permission denied)`, fix: 'Choose a folder you may write to, or fix the permissions of this one, then try again.', kind: 'failed' };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: 'the disk is full (or your quota is used up)', fix: 'Free some space or choose another disk, then try again.', kind: 'failed' };
    case 'EEXIST':
      return { why: `${path} exists already`, fix: 'Move that file away or name another one.', kind: 'conflict' };
    case 'ELOOP':
      return { why: `${path} is a symbolic link, and files are not written through links`, fix: 'Name the file the link points to, or another file.', kind: 'usage' };
    case 'ENOENT':
      return { why: `a folder on the way to ${path} does not exist`, fix: 'Create the folder or name a file in an existing one.', kind: 'usage' };
    case 'EROFS':
      return { why: 'the disk is read-only', fix: 'Choose a folder on a writable disk.', kind: 'failed' };
    case 'EMFILE':
    case 'ENFILE':
      return { why: 'too many files are open', fix: 'Close some programs, then try again.', kind: 'failed' };
    case 'EIO':
      return { why: 'the disk reported an input/output error', fix: 'Check the disk, then try again.', kind: 'failed' };
    default:
      return undefined;
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A filesystem error as a sentence: what could not be done, why (with the system's code), what became of the
 * file, and what to do. `doing` completes "Could not …"; `outcome` says what was left on disk.
 */
export function fileFailure(error: unknown, doing: string, path: string, outcome: string): DbTicketsError {
  const code = errorCode(error);
  const known = explain(code, path);
  const why = known ? `${known.why} (${code})` : `${(error as Error)?.message ?? String(error)}`;
  const fix = known?.fix ?? 'Check the path and the disk, then try again.';
  return new DbTicketsError(known?.kind ?? 'failed', `Could not ${doing}: ${why}. ${outcome} ${fix}`, { cause: error });
}
