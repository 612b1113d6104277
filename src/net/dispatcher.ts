import { readFileSync } from 'node:fs';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { DbTicketsError } from '../core/errors';

/** How the host reaches the network: its proxy and trust settings. Environment variables fill what is not given. */
export interface NetSettings {
  /** An explicit proxy URL (VS Code's `http.proxy`); else HTTPS_PROXY / HTTP_PROXY with NO_PROXY from the environment. */
  proxy?: string;
  /** PEM file with extra certificate authorities, e.g. a company's TLS-inspecting proxy. */
  caFile?: string;
  /** false only when the user turned certificate checks off (VS Code's `http.proxyStrictSSL`). */
  strictSSL?: boolean;
}

/** One connection pool for a backend, going through the proxy the settings or the environment name. */
export function createDispatcher(settings: NetSettings = {}): Dispatcher {
  const tls = { ...(settings.caFile ? { ca: readCa(settings.caFile) } : {}), ...(settings.strictSSL === false ? { rejectUnauthorized: false } : {}) };
  return new EnvHttpProxyAgent({
    ...(settings.proxy ? { httpProxy: settings.proxy, httpsProxy: settings.proxy } : {}),
    connect: tls,
    requestTls: tls,
  });
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new DbTicketsError(
      'config',
      `The certificate authority file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): fix the path in the CA file setting, or clear it.`,
      { cause: error },
    );
  }
}
