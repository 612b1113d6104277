import { BlockList, isIP } from 'node:net';

/**
 * Which requests skip the proxy, from entries as VS Code's `http.noProxy` and the NO_PROXY variable take them:
 * `*` (every host), a host name (it and its subdomains; a leading `.` or `*.` changes nothing), an IP address, a
 * CIDR range (`10.0.0.0/8`, `fd00::/8`), each optionally with `:port` (IPv6 in brackets: `[::1]:8080`).
 */
export function noProxyMatcher(entries: readonly string[]): (url: URL) => boolean {
  const rules = entries.map((entry) => entry.trim()).filter(Boolean).map(parseEntry);
  return (url) => {
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    return rules.some((rule) => (rule.port === undefined || rule.port === port) && rule.matches(host));
  };
}

/** A NO_PROXY value: entries separated by commas or white space. */
export function noProxyList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).filter(Boolean);
}

interface Rule {
  port?: number;
  matches: (host: string) => boolean;
}

function parseEntry(entry: string): Rule {
  if (entry === '*') return { matches: () => true };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  const withPort = bracketed ? undefined : /^([^:]+):(\d+)$/.exec(entry);
  const name = (bracketed?.[1] ?? withPort?.[1] ?? entry).toLowerCase();
  const portText = bracketed?.[2] ?? withPort?.[2];
  const port = portText ? Number(portText) : undefined;
  const cidr = /^(.+)\/(\d{1,3})$/.exec(name);
  const family = cidr && isIP(cidr[1]) === 4 ? 'ipv4' : 'ipv6';
  if (cidr && isIP(cidr[1]) && Number(cidr[2]) <= (family === 'ipv4' ? 32 : 128)) {
    const range = new BlockList();
    range.addSubnet(cidr[1], Number(cidr[2]), family);
    return { port, matches: (host) => isIP(host) !== 0 && range.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6') };
  }
  if (isIP(name)) {
    const address = new BlockList();
    address.addAddress(name, isIP(name) === 4 ? 'ipv4' : 'ipv6');
    return { port, matches: (host) => isIP(host) !== 0 && address.check(host, isIP(host) === 4 ? 'ipv4' : 'ipv6') };
  }
  const domain = name.replace(/^\*?\./, '');
  return { port, matches: (host) => host === domain || host.endsWith(`.${domain}`) };
}
