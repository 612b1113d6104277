import { randomBytes } from 'node:crypto';
import type { Answer } from './errors';

/**
 * IAM's password login (POST /v3/auth/tokens → 201, token in X-Subject-Token, `token.expires_at` in the body) and
 * the tokens it issues, which expire.
 */

export interface IamUser {
  domainName: string;
  userName: string;
  password: string;
  domainId: string;
  userId?: string;
}

/** How the login body scoped its token; the spec prefers domain scope and allows project scope [inferred]. */
export type TokenScope = 'domain' | 'project' | 'unscoped';

export interface IssuedToken {
  token: string;
  userId: string;
  userName: string;
  domainId: string;
  domainName: string;
  scope: TokenScope;
  issuedAt: number;
  expiresAt: number;
}

export type TokenCheck = { ok: true; token: IssuedToken } | { ok: false; reason: 'unknown' | 'expired' };

/** IAM's own error shape (Keystone style) [inferred: the spec gives no IAM error body]. */
const iamError = (status: number, title: string, message: string): Answer => ({ status, json: { error: { code: status, title, message } } });

/** IAM renders times with microseconds, e.g. 2026-11-23T08:00:00.000000Z. */
export const iamTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class Iam {
  readonly users: IamUser[] = [];
  readonly tokens = new Map<string, IssuedToken>();

  constructor(public tokenLifetimeMs: number) {}

  addUser(user: IamUser): void {
    this.users.push({ ...user, userId: user.userId ?? `u-${user.domainId}-${this.users.length + 1}` });
  }

  domainName(domainId: string): string {
    return this.users.find((u) => u.domainId === domainId)?.domainName ?? domainId;
  }

  /** Handles a login body; on success the answer carries the new token in X-Subject-Token. */
  login(body: Buffer, query: URLSearchParams, now: number): { answer: Answer; token?: IssuedToken } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { answer: iamError(400, 'Bad Request', 'The request body is not valid JSON.') };
    }
    const auth = (parsed as { auth?: Record<string, unknown> } | null)?.auth;
    const identity = auth?.identity as { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } } | undefined;
    const user = identity?.password?.user;
    if (!Array.isArray(identity?.methods) || !identity.methods.includes('password') || typeof user?.name !== 'string' || typeof user.password !== 'string' || typeof user.domain?.name !== 'string') {
      return { answer: iamError(400, 'Bad Request', 'Invalid input for field identity: methods password with user name, password and domain name are required.') };
    }
    const found = this.users.find((u) => u.domainName === user.domain!.name && u.userName === user.name);
    if (!found || found.password !== user.password) return { answer: iamError(401, 'Unauthorized', 'The username or password is wrong.') };
    const scope = auth?.scope as { domain?: { name?: string; id?: string }; project?: { id?: string; name?: string } } | undefined;
    const scopeKind: TokenScope = scope?.domain ? 'domain' : scope?.project ? 'project' : 'unscoped';
    if (scope?.domain && scope.domain.name !== found.domainName && scope.domain.id !== found.domainId) {
      return { answer: iamError(401, 'Unauthorized', 'The request you have made requires authentication: the scope domain is not the user’s.') };
    }
    const token: IssuedToken = {
      token: `MIIT${randomBytes(48).toString('base64url')}`,
      userId: found.userId!,
      userName: found.userName,
      domainId: found.domainId,
      domainName: found.domainName,
      scope: scopeKind,
      issuedAt: now,
      expiresAt: now + this.tokenLifetimeMs,
    };
    this.tokens.set(token.token, token);
    const domain = { id: found.domainId, name: found.domainName };
    const json = {
      token: {
        expires_at: iamTime(token.expiresAt),
        issued_at: iamTime(now),
        methods: ['password'],
        user: { id: found.userId, name: found.userName, domain, password_expires_at: '' },
        ...(scopeKind === 'domain' ? { domain } : {}),
        ...(scopeKind === 'project' ? { project: { id: scope?.project?.id ?? 'p-1', name: scope?.project?.name ?? 'cn-south-1', domain } } : {}),
        roles: [{ id: 'r-ticket-admin', name: 'Ticket Administrator' }],
        ...(query.get('nocatalog') === 'true' ? {} : { catalog: [] }),
      },
    };
    return { answer: { status: 201, json, headers: { 'X-Subject-Token': token.token } }, token };
  }

  check(text: string, now: number): TokenCheck {
    const token = this.tokens.get(text.trim());
    if (!token) return { ok: false, reason: 'unknown' };
    if (now >= token.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  expire(text: string, now: number): void {
    const token = this.tokens.get(text.trim());
    if (token) token.expiresAt = Math.min(token.expiresAt, now);
  }
}
