import { createHash } from 'node:crypto';
import { DbTicketsError } from '../../core/errors';
import type { SessionSource, ZStackClient } from './zstackClient';
import type { ZStackProfile } from './zstackProfile';

/** ZStack compares the lowercase hex SHA-512 of the password. */
export function passwordHash(password: string): string {
  return createHash('sha512').update(password, 'utf8').digest('hex');
}

export interface Identity {
  /** The virtual ID, account or user uuid (the session's userUuid). */
  uuid: string;
  name: string;
  kind: 'iam2' | 'account' | 'user';
  /** The project an IAM2 session acts in, by name; its uuid comes from `ZStackSession.project`. */
  projectName?: string;
}

export interface Project {
  uuid: string;
  name: string;
}

interface Session {
  uuid: string;
  identity: Identity;
  project?: Promise<Project>;
}

const uuidPattern = /^[0-9a-f]{32}$/i;

/**
 * The profile's session: logs in on first use (as an IAM2 virtual ID, then into the project; as an account; or as a
 * user of an account), logs in again when a call says the session expired, and logs out on close.
 */
export class ZStackSession implements SessionSource {
  private client?: ZStackClient;
  private session?: Promise<Session>;
  private readonly opened = new Set<string>();

  constructor(
    private readonly profile: ZStackProfile,
    private readonly password: () => Promise<string | undefined>,
  ) {}

  attach(client: ZStackClient): void {
    this.client = client;
  }

  async current(signal?: AbortSignal): Promise<string> {
    return (await this.ensure(signal)).uuid;
  }

  async identity(signal?: AbortSignal): Promise<Identity> {
    return (await this.ensure(signal)).identity;
  }

  /**
   * The project the session acts in, with its uuid (what a create names): known from the login when the profile names
   * the project by uuid, else looked up once, when first needed.
   */
  async project(signal?: AbortSignal): Promise<Project | undefined> {
    const session = await this.ensure(signal);
    const name = session.identity.projectName;
    if (!name) return undefined;
    if (!session.project) {
      const lookup = this.resolveProject(name, signal);
      session.project = lookup;
      lookup.catch(() => {
        if (session.project === lookup) session.project = undefined;
      });
    }
    return session.project;
  }

  async renew(stale: string, signal?: AbortSignal): Promise<string> {
    const now = this.session ? await this.session.catch(() => undefined) : undefined;
    if (now && now.uuid !== stale) return now.uuid; // someone else logged in again already
    this.session = this.logIn(signal);
    this.session.catch(() => (this.session = undefined));
    return (await this.session).uuid;
  }

  /** Logs out every session this profile opened; failures are ignored (the session expires anyway). */
  async close(): Promise<void> {
    const client = this.client;
    if (!client) return;
    const sessions = [...this.opened];
    this.opened.clear();
    this.session = undefined;
    await Promise.all(sessions.map((uuid) => client.anonymous('LogOut', 'DELETE', `/accounts/sessions/${uuid}`, undefined).catch(() => undefined)));
  }

  private ensure(signal?: AbortSignal): Promise<Session> {
    if (!this.session) {
      this.session = this.logIn(signal);
      this.session.catch(() => (this.session = undefined));
    }
    return this.session;
  }

  private async logIn(signal?: AbortSignal): Promise<Session> {
    const client = this.client!;
    const profile = this.profile;
    const password = await this.password();
    if (!password) {
      throw new DbTicketsError(
        'config',
        `No ZStack password for profile "${profile.name}": enter it with "DB Tickets: Edit Profile" in VS Code, or set ZSTACK_PASSWORD for the CLI.`,
      );
    }
    const hash = passwordHash(password);
    const who = profile.loginAs === 'user' ? `user ${profile.username} of account ${profile.accountName}` : profile.loginAs === 'account' ? `account ${profile.username}` : `virtual ID ${profile.username}`;
    const call = { signal, action: `logging in as ${who}` };
    let reply;
    if (profile.loginAs === 'iam2') reply = await client.anonymous('LoginIAM2VirtualID', 'PUT', '/iam2/virtual-ids/login', { loginIAM2VirtualID: { name: profile.username, password: hash } }, call);
    else if (profile.loginAs === 'account') reply = await client.anonymous('LogInByAccount', 'PUT', '/accounts/login', { logInByAccount: { accountName: profile.username, password: hash } }, call);
    else reply = await client.anonymous('LogInByUser', 'PUT', '/accounts/users/login', { logInByUser: { accountName: profile.accountName, userName: profile.username, password: hash } }, call);
    const inventory = (reply.inventory ?? {}) as { uuid?: string; userUuid?: string };
    if (!inventory.uuid) throw new DbTicketsError('unavailable', `ZStack answered the login as ${who} without a session: check "endpoint" in profile "${profile.name}" points at a management node.`);
    this.opened.add(inventory.uuid);
    const identity: Identity = { uuid: inventory.userUuid ?? '', name: profile.username, kind: profile.loginAs };
    if (profile.loginAs !== 'iam2' || !profile.project) return { uuid: inventory.uuid, identity };

    // Into the project, which the login takes by name: a uuid is resolved to its name first; a name is looked up only
    // when its uuid is needed, or to explain a refused login.
    const key = profile.project;
    const known = uuidPattern.test(key) ? await this.resolveProject(key, signal, inventory.uuid) : undefined;
    let scoped: string;
    try {
      scoped = await fetchProjectSession(client, inventory.uuid, known?.name ?? key, signal);
    } catch (error) {
      if (!known && error instanceof DbTicketsError && error.kind !== 'cancelled' && error.kind !== 'unavailable') await this.resolveProject(key, signal, inventory.uuid);
      throw error;
    }
    this.opened.add(scoped);
    return { uuid: scoped, identity: { ...identity, projectName: known?.name ?? key }, ...(known ? { project: Promise.resolve(known) } : {}) };
  }

  /** The project named `key` (its name or uuid): with `session` while logging in, else with the current session. */
  private async resolveProject(key: string, signal?: AbortSignal, session?: string): Promise<Project> {
    const client = this.client!;
    const byUuid = uuidPattern.test(key);
    const find = async (field: string) => {
      const params: Array<[string, string]> = [['q', `${field}=${key}`]];
      const call = { signal, action: `looking up project ${key}` };
      const found = session ? await client.queryWith<Project>(session, 'QueryIAM2Project', '/iam2/projects', params, call) : await client.query<Project>('QueryIAM2Project', '/iam2/projects', params, call);
      return found.inventories[0];
    };
    const project = (await find(byUuid ? 'uuid' : 'name')) ?? (byUuid ? undefined : await find('uuid'));
    if (!project) throw new DbTicketsError('config', `ZStack has no IAM2 project "${key}" that ${this.profile.username} can see: correct "project" in profile "${this.profile.name}" (its name or uuid).`);
    return { uuid: project.uuid, name: project.name };
  }
}

async function fetchProjectSession(client: ZStackClient, session: string, projectName: string, signal?: AbortSignal): Promise<string> {
  const reply = await client.syncWith(session, 'LoginIAM2Project', 'PUT', '/iam2/projects/login', { loginIAM2Project: { projectName } }, { signal, action: `logging in to project ${projectName}` });
  const uuid = (reply.inventory as { uuid?: string } | undefined)?.uuid;
  if (!uuid) throw new DbTicketsError('unavailable', `ZStack answered the login to project ${projectName} without a session: try again.`);
  return uuid;
}
