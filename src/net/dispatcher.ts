import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { DbTicketsError } from '../core/errors';
import { noProxyList, noProxyMatcher } from './noProxy';

/** How the host reaches the network: its proxy and trust settings. The environment fills what is not given. */
export interface NetSettings {
  /** An explicit proxy URL (VS Code's `http.proxy`); else HTTPS_PROXY / HTTP_PROXY from the environment. */
  proxy?: string;
  /** Hosts, domains, IP addresses and CIDR ranges reached without the proxy (VS Code's `http.noProxy`), besides NO_PROXY's. */
  noProxy?: readonly string[];
  /** PEM file with extra certificate authorities, e.g. a company's TLS-inspecting proxy. */
  caFile?: string;
  /** false only when the user turned certificate checks off (VS Code's `http.proxyStrictSSL`). */
  strictSSL?: boolean;
}

/** What to do about a certificate that was not accepted, for the backends' error messages. */
export const certificateAdvice =
  'If the service (or a TLS-inspecting proxy) uses a private certificate authority, name its PEM file in the CA file setting: dbTickets.http.caFile in VS Code; for the command line "http.caFile" in the config file, or NODE_EXTRA_CA_CERTS.';

/**
 * One connection pool for a backend: each request goes through the proxy the settings or the environment
 * (HTTPS_PROXY / HTTP_PROXY, either case) name, unless its host is exempt (`noProxy`, NO_PROXY), and trusts the
 * system's authorities plus the CA file's.
 */
export function createDispatcher(settings: NetSettings = {}, env: NodeJS.ProcessEnv = process.env): Dispatcher {
  const tls = trustOptions(settings, env);
  const direct = new Agent({ connect: tls });
  const httpProxy = proxyAgent(settings.proxy || env.http_proxy || env.HTTP_PROXY, tls, direct);
  const httpsProxy = settings.proxy ? httpProxy : proxyAgent(env.https_proxy || env.HTTPS_PROXY, tls, httpProxy);
  const exempt = noProxyMatcher([...(settings.noProxy ?? []), ...noProxyList(env.no_proxy || env.NO_PROXY)]);
  return new ProxyRouter((origin) => (exempt(origin) ? direct : origin.protocol === 'https:' ? httpsProxy : httpProxy), [direct, httpProxy, httpsProxy]);
}

/** The TLS options of every connection: which authorities to trust, and whether certificates are checked at all. */
export function trustOptions(settings: NetSettings, env: NodeJS.ProcessEnv): { ca?: string[]; rejectUnauthorized?: false } {
  return {
    // A `ca` replaces Node's default list, so the system's authorities (and NODE_EXTRA_CA_CERTS') are kept beside the file's.
    ...(settings.caFile ? { ca: [...rootCertificates, ...extraCertificates(env), readCa(settings.caFile)] } : {}),
    ...(settings.strictSSL === false ? { rejectUnauthorized: false as const } : {}),
  };
}

function proxyAgent(url: string | undefined, tls: object, otherwise: Dispatcher): Dispatcher {
  if (!url) return otherwise;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the scheme ${parsed.protocol} is not http: or https:`);
  } catch (error) {
    throw new DbTicketsError('config', `The proxy "${url}" is not a valid proxy URL (${(error as Error).message}): set it as http://host:port (http.proxy in VS Code, or HTTPS_PROXY / HTTP_PROXY), or clear it.`, { cause: error });
  }
  return new ProxyAgent({ uri: url, requestTls: tls, proxyTls: tls });
}

/** Node reads NODE_EXTRA_CA_CERTS only into its default list, which an explicit `ca` replaces. */
function extraCertificates(env: NodeJS.ProcessEnv): string[] {
  if (!env.NODE_EXTRA_CA_CERTS) return [];
  try {
    return [readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8')];
  } catch {
    return []; // Node itself warns about an unreadable NODE_EXTRA_CA_CERTS at startup.
  }
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

/** Hands each request to the dispatcher for its origin: straight, or through a proxy. */
class ProxyRouter extends Dispatcher {
  private readonly all: Dispatcher[];

  constructor(
    private readonly route: (origin: URL) => Dispatcher,
    dispatchers: Dispatcher[],
  ) {
    super();
    this.all = [...new Set(dispatchers)];
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.route(new URL(String(options.origin))).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const closed = Promise.all(this.all.map((d) => d.close())).then(() => undefined);
    if (!callback) return closed;
    void closed.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(errorOrCallback?: Error | null | (() => void), callback?: () => void): Promise<void> | void {
    const error = typeof errorOrCallback === 'function' ? null : (errorOrCallback ?? null);
    const done = typeof errorOrCallback === 'function' ? errorOrCallback : callback;
    const destroyed = Promise.all(this.all.map((d) => d.destroy(error))).then(() => undefined);
    if (!done) return destroyed;
    void destroyed.then(done);
  }
}
