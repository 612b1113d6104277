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
