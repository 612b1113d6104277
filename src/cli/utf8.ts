import { isUtf8 } from 'node:buffer';
import { DbTicketsError } from '../core/errors';

/** The bytes as text, or a usage error naming the first byte that is not UTF-8 (never silently replaced). */
export function decodeUtf8(bytes: Buffer, source: string): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const offset = firstInvalidByte(bytes);
  const line = bytes.subarray(0, offset).toString('latin1').split('\n').length;
  throw new DbTicketsError(
    'usage',
    `${source} is not valid UTF-8: byte ${offset} (line ${line}) is 0x${bytes[offset].toString(16).padStart(2, '0')}. Save the SQL as UTF-8 (e.g. iconv -f GBK -t UTF-8) and try again.`,
  );
}

/** The offset of the first byte that does not start a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i];
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || !isUtf8(bytes.subarray(i, i + length)) || i + length > bytes.length) return i;
    i += length;
  }
  return bytes.length;
}
