import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

/** What was written: its size and SHA-256 (hex). */
export interface Written {
  bytes: number;
  sha256: string;
}

/**
 * A pass-through stream that counts and hashes what flows through it, so a file is fingerprinted as it is written
 * instead of read again; `written()` once it has ended.
 */
export function fingerprinting(onBytes?: (bytes: number) => void): { stream: Transform; written: () => Written } {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      onBytes?.(bytes);
      callback(null, chunk);
    },
  });
  return { stream, written: () => ({ bytes, sha256: hash.digest('hex') }) };
}
