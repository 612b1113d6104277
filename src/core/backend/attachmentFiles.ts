import { basename } from 'node:path';

/**
 * A file name from a service (an attachment's) as a name to save under in a chosen folder: no folders, no characters
 * file systems refuse.
 */
export function safeFileName(name: string): string {
  const plain = [...basename(name.replace(/\\/g, '/'))].map((c) => (c < ' ' || '<>:"|?*'.includes(c) ? '_' : c)).join('').trim();
  return plain === '' || plain === '.' || plain === '..' ? 'attachment' : plain;
}
