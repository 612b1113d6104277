import { DbTicketsError } from '../errors';
import type { Backend } from './backend';

/** The operations only some backends have (optional members of `Backend`), and what each lets the user do. */
export const optionalOperations = {
  rate: 'rate tickets',
  relations: 'link related tickets',
  attachments: "save or delete a ticket's attachments",
} as const;
export type OptionalOperation = keyof typeof optionalOperations;

/** The optional operations a backend has: what front ends may offer for its profiles. */
export function operationsOf(backend: Backend): OptionalOperation[] {
  return (Object.keys(optionalOperations) as OptionalOperation[]).filter((operation) => backend[operation] !== undefined);
}

/**
 * The backend's optional operation (methods bound to it), or a usage error naming the profile and the operations its
 * service does have.
 */
export function requireOperation<K extends OptionalOperation>(backend: Backend, operation: K, profile: string): NonNullable<Backend[K]> {
  const found = backend[operation];
  if (found === undefined) {
    const has = operationsOf(backend).map((o) => optionalOperations[o]);
    throw new DbTicketsError('usage', `The service of profile "${profile}" cannot ${optionalOperations[operation]}${has.length > 0 ? `; it can ${has.join(', ')}` : ''}.`);
  }
  return (typeof found === 'function' ? found.bind(backend) : found) as NonNullable<Backend[K]>;
}
