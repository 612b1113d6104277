import { readFileSync } from 'node:fs';
import { DbTicketsError } from '../../../core/errors';
import type { ServerConnection } from './passwordSource';

/** The connection's TLS settings as node-postgres and mysql2 take them; undefined when TLS is off. */
export function tlsOptions(connection: ServerConnection): { rejectUnauthorized: boolean; ca?: string } | undefined {
  const { tls } = connection;
  if (!tls) return undefined;
  if (!tls.caFile) return { rejectUnauthorized: tls.rejectUnauthorized };
  try {
    return { rejectUnauthorized: tls.rejectUnauthorized, ca: readFileSync(tls.caFile, 'utf8') };
  } catch (error) {
    throw new DbTicketsError(
      'config',
      `The CA file of "${connection.name}" cannot be read (${tls.caFile}): ${(error as Error).message}. Fix the connection's tls.caFile or remove it.`,
      { cause: error },
    );
  }
}
