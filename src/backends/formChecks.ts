import { type Localizable, localized } from '../core/localizable';

/** The problem with a web address typed into a profile form, or undefined when it is one. */
export function httpUrlProblem(value: string): Localizable | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? undefined : localized('Give an https:// address.');
  } catch {
    return localized('This is not an address: give one like https://dms.example.com.');
  }
}

/** Hosts on this machine, where plain HTTP exposes nothing (a local proxy or a test service). */
export const loopbackHosts: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether an address is https://, or http:// on this machine. */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopbackHosts.has(url.hostname));
}

/** The problem with a cloud service address typed into a profile form: https://, plain http:// only on this machine. */
export function httpsUrlProblem(value: string): Localizable | undefined {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return localized('This is not an address: give one like https://dms.example.com.');
  }
  return isSecureOrLoopback(url) ? undefined : localized('Give an https:// address (plain http:// only on this computer).');
}
