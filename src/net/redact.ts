/** Replaces each secret (and any signature) in a log line with "***"; secrets never reach a log or a message. */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text
    .replace(/(Signature=)[^,&\s"]+/g, '$1***')
    .replace(/(SecurityToken=)[^&\s"]+/g, '$1***');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
