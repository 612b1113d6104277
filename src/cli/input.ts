import { readFile, stat } from 'node:fs/promises';
import { DbTicketsError } from '../core/errors';
import { decodeUtf8 } from './utf8';

type Stdin = AsyncIterable<unknown> & { isTTY?: boolean };

/** The most SQL one ticket takes: far above any service's limit (DMS: 15 MB), well below what would exhaust memory. */
export const maxSqlBytes = 64 * 1024 * 1024;

function tooLarge(source: string): DbTicketsError {
  return new DbTicketsError('usage', `${source} holds more than ${maxSqlBytes / 1024 / 1024} MB of SQL, more than one ticket takes: split it into several tickets, or load the data with the database's own import tools.`);
}

/** How messages name where the SQL came from, before a line number: the file as given, or `<stdin>`. */
export function inputName(file: string | undefined): string {
  return file === undefined || file === '-' ? '<stdin>' : file;
}

/**
 * SQL from a file, or from standard input for `-` or no file. With no file and a terminal on standard input
 * nothing would ever arrive, so that is an error rather than a wait.
 */
export async function readSqlInput(file: string | undefined, stdin: Stdin = process.stdin): Promise<string> {
  if (file === undefined || file === '-') {
    if (file === undefined && stdin.isTTY) {
      throw new DbTicketsError('usage', 'No SQL given: pass a file, or pipe SQL into standard input.');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stdin) {
      const bytes = Buffer.from(chunk as Buffer | string);
      size += bytes.length;
      if (size > maxSqlBytes) throw tooLarge('Standard input');
      chunks.push(bytes);
    }
    return decodeUtf8(Buffer.concat(chunks), 'The SQL on standard input');
  }
  let bytes: Buffer;
  try {
    if ((await stat(file)).size > maxSqlBytes) throw tooLarge(file);
    bytes = await readFile(file);
  } catch (error) {
    if (error instanceof DbTicketsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DbTicketsError('usage', `Cannot read ${file}: ${why}. Check the path, or pass - to read standard input.`, { cause: error });
  }
  return decodeUtf8(bytes, file);
}
