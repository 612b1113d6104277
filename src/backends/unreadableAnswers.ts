import type { Backend } from '../core/backend/backend';
import { DbTicketsError } from '../core/errors';

/** The operations that turn a service's answers into tickets. */
const reading = new Set(['submit', 'list', 'get', 'act', 'redraft', 'download', 'searchDatabases', 'searchUsers', 'check', 'profileChoices', 'estimateRows']);

/**
 * The backend, with an answer of a shape its mapping does not expect (a number where the API documents a string, a
 * null where a list was) reported as such instead of as a bare TypeError from deep inside the mapping.
 */
export function reportUnreadableAnswers(backend: Backend, service: string): Backend {
  return new Proxy(backend, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || !reading.has(String(property))) return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (!(error instanceof TypeError)) throw error;
          throw new DbTicketsError(
            'unavailable',
            `${service} answered with data DB Tickets cannot read (${error.message}), so ${String(property)} did not finish. Try again; if it goes on, the service's answers have changed: report it with the log (DB_TICKETS_DEBUG=1 for the CLI, or DB Tickets: Show Log).`,
            { cause: error },
          );
        }
      };
    },
  });
}
