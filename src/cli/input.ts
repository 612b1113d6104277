import { readFile } from 'node:fs/promises';
import { DbTicketsError } from '../core/errors';
import { decodeUtf8 } from './utf8';

type Stdin = AsyncIterable<unknown> & { isTTY?: boolean };

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
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer | string));
    return decodeUtf8(Buffer.concat(chunks), 'The SQL on standard input');
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new DbTicketsError('usage', `Cannot read ${file}: ${why}. Check the path, or pass - to read standard input.`, { cause: error });
  }
  return decodeUtf8(bytes, file);
}
