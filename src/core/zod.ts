// zod/mini keeps bundles small (the full zod would be most of the extension's code), but ships without
// messages; the English ones are worth their few kilobytes in configuration errors and store reports.
// Every schema imports zod from here, so the messages are configured before any parse. Import it as a namespace
// (`import * as z`): a re-exported namespace object (`export * as z`) would keep every export, all locales included,
// in the bundles.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * A schema built on first use instead of when its module loads. Building zod schemas is most of what loading the
 * front ends' code costs, and the extension's activation parses nothing; in every other way (parse, compose, infer its
 * type) it is the schema `build` returns.
 */
export function lazySchema<T extends object>(build: () => T): T {
  let built: T | undefined;
  const schema = () => (built ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(schema(), key),
    has: (_, key) => Reflect.has(schema(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
    ownKeys: () => Reflect.ownKeys(schema()),
    // Reported as configurable: the proxy's own (empty) target cannot hold a fixed property.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(schema(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
