import type { SqlDialect } from '../../../core/sql/dialect';
import * as z from '../../../core/zod';

/** A required text field: missing, not text, or blank all get the same message naming the fix. */
function text(message: string) {
  return z.string({ error: message }).check(z.trim(), z.minLength(1, { error: message }));
}

function port(fallback: number) {
  const message = 'Port must be a whole number from 1 to 65535.';
  return z._default(z.int({ error: message }).check(z.gte(1, { error: message }), z.lte(65535, { error: message })), fallback);
}

/**
 * A database the Local backend can run tickets on. Passwords are never part of it: they come from the
 * extension's secret storage, an environment variable named here, or the driver's own password file.
 */
export const ConnectionConfig = z.lazySchema(() => {
  const name = text('Connection name is empty: give the connection a short name, e.g. "shop-dev".').check(
    z.regex(/^[\w.@-]+$/, { error: 'Connection name may hold only letters, digits and . _ @ -: rename it, e.g. "shop-dev".' }),
  );

  const tls = z.optional(
    z.object({
      /** Verify the server's certificate (default true when TLS is on). */
      rejectUnauthorized: z._default(z.boolean({ error: 'tls.rejectUnauthorized must be true or false.' }), true),
      /** PEM file of the certificate authority that signed the server's certificate. */
      caFile: z.optional(z.string()),
    }),
  );

  const server = {
    name,
    host: z._default(text('Host is empty: give the server\'s host name or address.'), '127.0.0.1'),
    database: text('Database is empty: name the database on the server.'),
    user: text('User is empty: name the database user to connect as.'),
    /** Environment variable holding the password; otherwise SecretStorage (extension) or the driver's password file. */
    passwordEnv: z.optional(z.string()),
    tls,
  };
  return z.discriminatedUnion(
    'driver',
    [
      z.object({ name, driver: z.literal('demo') }),
      z.object({ ...server, driver: z.literal('postgres'), port: port(5432) }),
      z.object({ ...server, driver: z.literal('mysql'), port: port(3306) }),
      z.object({ name, driver: z.literal('sqlite'), file: text('File is empty: give the path of the SQLite database file.') }),
    ],
    { error: 'Driver must be one of demo, postgres, mysql, sqlite.' },
  );
});
export type ConnectionConfig = z.infer<typeof ConnectionConfig>;

/** The SQL each driver's databases speak (the demo database is SQLite, read as generic SQL like other SQLite files). */
export const driverDialects: Record<ConnectionConfig['driver'], SqlDialect> = { demo: 'generic', postgres: 'postgres', mysql: 'mysql', sqlite: 'generic' };

/** The demo database exists without any configuration. */
export const demoConnection: ConnectionConfig = { name: 'demo', driver: 'demo' };
