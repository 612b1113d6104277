import { javaDate } from './dates';
import type { Identity } from './identities';
import { newUuid } from './identities';
import { sessionExpired } from './errors';

/** Sessions: created by the login APIs, expiring by time (like identity.session.timeout) or, on demand, by use. */

export interface Session {
  uuid: string;
  identity: Identity;
  /** Set by LoginIAM2Project: the project the session acts in. */
  projectUuid?: string;
  /** The identity's account, or the project's linked account for a project session. */
  accountUuid: string;
  createdAt: number;
  expiresAt: number;
  /** Authenticated calls left before the session dies; unlimited when undefined. */
  usesLeft?: number;
  loggedOut: boolean;
}

export class Sessions {
  private readonly all = new Map<string, Session>();

  constructor(
    private readonly now: () => number,
    private readonly lifetimeMs: () => number,
  ) {}

  create(identity: Identity, project?: { uuid: string; linkedAccountUuid: string }): Session {
    const now = this.now();
    const accountUuid = project?.linkedAccountUuid ?? identity.accountUuid;
    const session: Session = { uuid: newUuid(), identity, projectUuid: project?.uuid, accountUuid, createdAt: now, expiresAt: now + this.lifetimeMs(), loggedOut: false };
    this.all.set(session.uuid, session);
    return session;
  }

  get(uuid: string): Session | undefined {
    return this.all.get(uuid);
  }

  valid(uuid: string): boolean {
    const session = this.all.get(uuid);
    return !!session && !session.loggedOut && session.expiresAt > this.now() && (session.usesLeft === undefined || session.usesLeft > 0);
  }

  /** One authenticated call: the session, or ID.1001 "Session expired" (also for a session that never existed). */
  use(uuid: string): Session {
    if (!this.valid(uuid)) throw sessionExpired();
    const session = this.all.get(uuid)!;
    if (session.usesLeft !== undefined) session.usesLeft -= 1;
    return session;
  }

  expire(uuid: string): void {
    const session = this.all.get(uuid);
    if (session) session.expiresAt = Math.min(session.expiresAt, this.now());
  }

  /** The session dies after `uses` more authenticated calls (all live sessions when no uuid is given). */
  expireAfterUses(uses: number, uuid?: string): void {
    for (const session of uuid ? [this.all.get(uuid)].filter((s) => !!s) : this.all.values()) session.usesLeft = uses;
  }

  renew(uuid: string, durationSeconds: number): Session {
    if (!this.valid(uuid)) throw sessionExpired();
    const session = this.all.get(uuid)!;
    session.expiresAt = this.now() + durationSeconds * 1000;
    return session;
  }

  logOut(uuid: string): void {
    const session = this.all.get(uuid);
    if (session) session.loggedOut = true;
  }

  inventory(session: Session) {
    return {
      uuid: session.uuid,
      accountUuid: session.accountUuid,
      userUuid: session.identity.uuid,
      userType: session.identity.type,
      expiredDate: javaDate(session.expiresAt),
      createDate: javaDate(session.createdAt),
      noSessionEvaluation: false,
    };
  }
}
