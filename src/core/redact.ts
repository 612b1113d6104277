/** What a redacted secret is replaced with. */
const redactedMark = '***';

/**
 * Values shorter than this are not matched on their own: a two-letter password would blank out every
 * occurrence of those letters. The patterns below still catch them where they appear as `password=…`.
 */
const minimumSecretLength = 4;

const secretNames = 'password|passwd|pwd|accessKeySecret|securityToken|signature|x-acs-security-token|sessionToken';

/**
 * Shapes that carry a secret whatever its value. Each keeps the name and replaces only the value; a key
 * must touch its `=` (`password=…`, as in query strings, libpq and ADO connection strings), so SQL such as
 * `SET password = crypt(…)` or `WHERE signature IS NULL` is left as written.
 */
const patterns: Array<[RegExp, string]> = [
  // scheme://user:password@host — postgres://, mysql://, https:// …
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]*):([^\s/@'"]*)@/gi, `$1:${redactedMark}@`],
  // password=secret, &Signature=…, Pwd='…'; quoted values may hold spaces.
  [new RegExp(`\\b(${secretNames})=('(?:[^'\\\\]|\\\\.)*'|"(?:[^"\\\\]|\\\\.)*"|[^\\s&;,'")]+)`, 'gi'), `$1=${redactedMark}`],
  // "password": "…" in JSON.
  [new RegExp(`("(?:${secretNames})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1"${redactedMark}"`],
  // Authorization headers, as raw lines or as printed objects (`authorization: 'ACS3-HMAC-SHA256 …'`).
  [/\b((?:proxy-)?authorization|x-acs-security-token)(['"]?\s*:\s*)(['"]?)[^\r\n'"]+/gi, `$1$2$3${redactedMark}`],
];

/** Removes secrets from text before it is written anywhere a person may read or share it (logs, messages). */
export class Redactor {
  private readonly secrets = new Set<string>();
  private matcher: RegExp | undefined;

  /** A secret value to blank out wherever it appears, as typed or URL-encoded. */
  add(secret: string | undefined): void {
    if (secret === undefined || secret.length < minimumSecretLength) return;
    const before = this.secrets.size;
    this.secrets.add(secret);
    this.secrets.add(encodeURIComponent(secret));
    if (this.secrets.size !== before) this.matcher = undefined;
  }

  redact(text: string): string {
    let result = text;
    if (this.secrets.size > 0) {
      // Longest first, so a secret that contains another is replaced whole.
      this.matcher ??= new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
      result = result.replace(this.matcher, redactedMark);
    }
    for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement);
    return result;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
