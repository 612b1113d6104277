/** RFC 3986 percent-encoding as Alibaba Cloud signs it: `!'()*` escaped too, space as %20, `~` kept. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `key=value` pairs sorted by key (code-unit order, as the official SDK sorts), each side percent-encoded. */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] ?? '')}`)
    .join('&');
}

/** A query string in the canonical encoding, so what is signed is byte for byte what is sent. */
export function formEncode(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}

/**
 * A form body encoded as the official SDK encodes it (encodeURIComponent: `!'()*` left as they are), so the body
 * bytes, and the x-acs-content-sha256 signed over them, are the same as the SDK's for the same call.
 */
export function formBody(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
}
