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

/** A form body or query string in the canonical encoding, so what is signed is byte for byte what is sent. */
export function formEncode(params: Readonly<Record<string, string>>): string {
  return Object.entries(params)
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`)
    .join('&');
}
