import { DbTicketsError } from '../../core/errors';
import type { HttpRequest } from '../../net/httpClient';
import type { Authenticator, OsmClient } from './osmClient';

export interface TokenLogin {
  domainName: string;
  userName: string;
  password: () => Promise<string>;
}

interface Token {
  value: string;
  /** The account id the token belongs to. */
  domainId?: string;
  /** When to stop using it (ms since the epoch): its expires_at, less a margin. */
  renewAt: number;
}

/** Renew this long before IAM's expires_at, so that a token does not expire on its way. */
const marginMs = 5 * 60_000;

/**
 * An IAM user token (POST /v3/auth/tokens, domain-scoped), sent as X-Auth-Token: logged in on first use, kept until it
 * is about to expire, and renewed once when the service answers 401.
 */
export class IamTokenAuthenticator implements Authenticator {
  private token?: Promise<Token>;

  constructor(
    private readonly client: OsmClient,
    private readonly login: TokenLogin,
    private readonly now: () => number = Date.now,
  ) {}

  get source(): string {
    return `IAM user ${this.login.userName} of account ${this.login.domainName}`;
  }

  /** The account of the IAM user, as the login answered it. */
  async identity(signal?: AbortSignal): Promise<{ domainId?: string }> {
    return { domainId: (await this.current(signal)).domainId };
  }

  async authorize(request: HttpRequest, options: { signal?: AbortSignal }): Promise<void> {
    let token = await this.current(options.signal);
    if (token.renewAt <= this.now()) token = await this.fresh(token, options.signal);
    request.headers['X-Auth-Token'] = token.value;
  }

  async renew(request: HttpRequest, signal?: AbortSignal): Promise<boolean> {
    const stale = request.headers['X-Auth-Token'];
    const token = await this.fresh(stale ? { value: stale, renewAt: 0 } : undefined, signal);
    request.headers['X-Auth-Token'] = token.value;
    return true;
  }

  private current(signal?: AbortSignal): Promise<Token> {
    if (!this.token) this.token = this.logIn(signal);
    return this.token;
  }

  /** A new token unless someone has replaced `stale` already. */
  private async fresh(stale: Token | undefined, signal?: AbortSignal): Promise<Token> {
    const now = this.token ? await this.token.catch(() => undefined) : undefined;
    if (now && stale && now.value !== stale.value && now.renewAt > this.now()) return now;
    this.token = this.logIn(signal);
    return this.token;
  }

  private logIn(signal?: AbortSignal): Promise<Token> {
    const attempt = (async () => {
      const { domainName, userName } = this.login;
      const password = await this.login.password();
      const answer = await this.client.exchange<{ token?: { expires_at?: string; user?: { domain?: { id?: string } } } }>('POST', '/v3/auth/tokens', {
        server: 'iam',
        auth: 'none',
        action: `logging in to IAM as ${userName} of account ${domainName}`,
        query: [['nocatalog', 'true']],
        headers: { 'Content-Type': 'application/json;charset=utf8' },
        body: { auth: { identity: { methods: ['password'], password: { user: { name: userName, password, domain: { name: domainName } } } }, scope: { domain: { name: domainName } } } },
        signal,
      });
      const value = answer.headers['x-subject-token'];
      if (!value) throw new DbTicketsError('unavailable', `IAM answered the login of ${userName} without a token (no X-Subject-Token header): check "iamEndpoint" of the profile.`);
      const expires = Date.parse(answer.json.token?.expires_at ?? '');
      // Tokens last 24 hours; without an expiry, keep one an hour.
      const renewAt = Number.isFinite(expires) ? expires - Math.min(marginMs, Math.max(0, expires - this.now()) / 10) : this.now() + 3600_000;
      return { value, renewAt, domainId: answer.json.token?.user?.domain?.id };
    })();
    attempt.catch(() => {
      if (this.token === attempt) this.token = undefined;
    });
    return attempt;
  }
}
