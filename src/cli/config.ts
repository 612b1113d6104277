import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DbTicketsError } from '../core/errors';
import * as z from '../core/zod';
import { parseProfile } from '../backends/openBackend';
import { DbTicketsConfig, duplicateNames, withBuiltIns } from '../backends/profiles';
import type { NetSettings } from '../net/dispatcher';

export interface ConfigSource {
  /** The file read, or undefined when none exists and the built-in defaults apply. */
  path?: string;
  config: DbTicketsConfig;
  /** The file's "http" section: proxy and trust settings for the cloud backends, before the environment's. */
  net: NetSettings;
}

/** The config file's counterpart of VS Code's http.proxy, http.noProxy, http.proxyStrictSSL and dbTickets.http.caFile. */
const HttpSection = z.lazySchema(() =>
  z.optional(
    z.strictObject({
      proxy: z.optional(z.string()),
      noProxy: z.optional(z.array(z.string())),
      caFile: z.optional(z.string()),
      strictSSL: z.optional(z.boolean()),
    }),
  ),
);

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'db-tickets', 'config.json');
}

/**
 * Reads the configuration from `--config FILE`, else `$DB_TICKETS_CONFIG`, else the default path. A file named
 * explicitly must exist; the default one may be absent (then only the built-in local profile and demo database
 * exist). Every problem is a 'config' error that names the file and what to fix.
 */
export async function loadConfig(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ConfigSource> {
  const named = explicit ?? (env.DB_TICKETS_CONFIG || undefined);
  const path = named ?? defaultConfigPath(env);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !named) return { config: withBuiltIns(DbTicketsConfig.parse({})), net: {} };
    const how = explicit ? '--config' : '$DB_TICKETS_CONFIG';
    throw new DbTicketsError(
      'config',
      code === 'ENOENT'
        ? `Config file ${path} does not exist (named by ${how}): create it, or name another file.`
        : `Config file ${path} cannot be read (${code ?? String(error)}): check its permissions.`,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DbTicketsError('config', `Config file ${path} is not valid JSON (${(error as Error).message}): fix the syntax.`, {
      cause: error,
    });
  }
  const parsed = DbTicketsConfig.safeParse(json);
  if (!parsed.success) throw invalid(path, parsed.error.issues[0]);
  const http = HttpSection.safeParse((json as { http?: unknown }).http);
  if (!http.success) throw invalid(path, { ...http.error.issues[0], path: ['http', ...http.error.issues[0].path] });
  const duplicates = duplicateNames(parsed.data);
  if (duplicates.length > 0) throw new DbTicketsError('config', `Config file ${path}: ${duplicates[0]}`);
  for (const profile of parsed.data.profiles) {
    try {
      parseProfile(profile);
    } catch (error) {
      throw new DbTicketsError('config', `Config file ${path}: ${(error as Error).message}`, { cause: error });
    }
  }
  return { path, config: withBuiltIns(parsed.data), net: { ...http.data, proxy: http.data?.proxy || undefined, caFile: http.data?.caFile ? resolve(dirname(path), http.data.caFile) : undefined } };
}

function invalid(path: string, issue: { path: PropertyKey[]; message: string }): DbTicketsError {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the top level';
  return new DbTicketsError('config', `Config file ${path}: ${where}: ${issue.message}`);
}
