import { crc32 } from 'node:zlib';

/**
 * Each event line carries a CRC-32 of its own text as its last field: `{…,"crc32":"1a2b3c4d"}`. CRC-32 detects every
 * change of up to 32 consecutive bits, so any edited, flipped or cut byte makes the line fail its check. The field
 * is plain JSON, so the log stays readable and diff-friendly; lines written before it existed have none and are
 * read as unchecked.
 */
const SEAL = /,"crc32":"([0-9a-f]{8})"\}$/;

function checksumOf(text: string): string {
  return crc32(Buffer.from(text, 'utf8')).toString(16).padStart(8, '0');
}

/** The line for a JSON object's text, with its checksum. */
export function sealLine(json: string): string {
  if (!json.startsWith('{') || !json.endsWith('}') || json === '{}') throw new Error('only a non-empty JSON object can be sealed');
  return `${json.slice(0, -1)},"crc32":"${checksumOf(json)}"}`;
}

export type OpenedLine = { status: 'checked' | 'unchecked'; json: string } | { status: 'mismatch' };

/** The JSON text of a line, once its checksum matches; lines without one are `unchecked`. */
export function openLine(line: string): OpenedLine {
  const seal = SEAL.exec(line);
  if (!seal) return { status: 'unchecked', json: line };
  const json = `${line.slice(0, seal.index)}}`;
  return checksumOf(json) === seal[1] ? { status: 'checked', json } : { status: 'mismatch' };
}
