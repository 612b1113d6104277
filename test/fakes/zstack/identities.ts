import { createHash, randomUUID } from 'node:crypto';

/** Accounts, their users, IAM2 virtual IDs and projects, with passwords kept as the service keeps them: SHA-512 hex. */

export const sha512Hex = (text: string) => createHash('sha512').update(text, 'utf8').digest('hex');
export const newUuid = () => randomUUID().replace(/-/g, '');

export interface Account {
  uuid: string;
  name: string;
  passwordHash: string;
  type: 'SystemAdmin' | 'Normal';
  createdAt: number;
}

export interface User {
  uuid: string;
  accountUuid: string;
  name: string;
  passwordHash: string;
  createdAt: number;
}

export interface VirtualId {
  uuid: string;
  name: string;
  passwordHash: string;
  projectUuids: string[];
  state: 'Enabled' | 'Disabled';
  createdAt: number;
}

export interface Project {
  uuid: string;
  name: string;
  description: string;
  /** The account the project's resources belong to. */
  linkedAccountUuid: string;
  state: 'Enabled' | 'Disabled';
  createdAt: number;
}

/** Who is behind a session or an operation. */
export interface Identity {
  kind: 'account' | 'user' | 'virtualId';
  uuid: string;
  name: string;
  accountUuid: string;
  /** The service's userType / operatorType text. */
  type: 'AccountVO' | 'UserVO' | 'IAM2VirtualIDVO';
  admin: boolean;
}

export class Directory {
  readonly accounts: Account[] = [];
  readonly users: User[] = [];
  readonly virtualIds: VirtualId[] = [];
  readonly projects: Project[] = [];

  constructor(private readonly now: () => number) {}

  addAccount(input: { name: string; password: string; uuid?: string; type?: Account['type'] }): Account {
    const account: Account = { uuid: input.uuid ?? newUuid(), name: input.name, passwordHash: sha512Hex(input.password), type: input.type ?? 'Normal', createdAt: this.now() };
    this.accounts.push(account);
    return account;
  }

  addUser(input: { account: string; name: string; password: string; uuid?: string }): User {
    const account = this.accountByNameOrUuid(input.account);
    if (!account) throw new Error(`no account ${input.account}`);
    const user: User = { uuid: input.uuid ?? newUuid(), accountUuid: account.uuid, name: input.name, passwordHash: sha512Hex(input.password), createdAt: this.now() };
    this.users.push(user);
    return user;
  }

  addProject(input: { name: string; uuid?: string; description?: string; linkedAccount?: string }): Project {
    const linked = input.linkedAccount ? this.accountByNameOrUuid(input.linkedAccount) : undefined;
    const project: Project = {
      uuid: input.uuid ?? newUuid(),
      name: input.name,
      description: input.description ?? '',
      linkedAccountUuid: linked?.uuid ?? newUuid(),
      state: 'Enabled',
      createdAt: this.now(),
    };
    this.projects.push(project);
    return project;
  }

  /** `projects` by name or uuid; they must exist. */
  addVirtualId(input: { name: string; password: string; uuid?: string; projects?: string[] }): VirtualId {
    const projectUuids = (input.projects ?? []).map((p) => {
      const project = this.projectByNameOrUuid(p);
      if (!project) throw new Error(`no project ${p}`);
      return project.uuid;
    });
    const vid: VirtualId = { uuid: input.uuid ?? newUuid(), name: input.name, passwordHash: sha512Hex(input.password), projectUuids, state: 'Enabled', createdAt: this.now() };
    this.virtualIds.push(vid);
    return vid;
  }

  accountByNameOrUuid(key: string): Account | undefined {
    return this.accounts.find((a) => a.uuid === key) ?? this.accounts.find((a) => a.name === key);
  }

  projectByNameOrUuid(key: string): Project | undefined {
    return this.projects.find((p) => p.uuid === key) ?? this.projects.find((p) => p.name === key);
  }

  virtualId(uuid: string): VirtualId | undefined {
    return this.virtualIds.find((v) => v.uuid === uuid);
  }

  /** Whether `uuid` names a virtual ID or an account (the two kinds of approver). */
  knows(uuid: string): boolean {
    return this.virtualIds.some((v) => v.uuid === uuid) || this.accounts.some((a) => a.uuid === uuid);
  }

  // Passwords are compared verbatim with the stored SHA-512 hex, as the service does: a plain or upper-case hex
  // password is simply a wrong password.
  checkAccount(name: string, password: string): Identity | undefined {
    const account = this.accounts.find((a) => a.name === name && a.passwordHash === password);
    return account && accountIdentity(account);
  }

  checkUser(account: Account | undefined, userName: string, password: string): Identity | undefined {
    const user = account && this.users.find((u) => u.accountUuid === account.uuid && u.name === userName && u.passwordHash === password);
    return user && { kind: 'user', uuid: user.uuid, name: user.name, accountUuid: user.accountUuid, type: 'UserVO', admin: false };
  }

  checkVirtualId(name: string, password: string): Identity | undefined {
    const vid = this.virtualIds.find((v) => v.name === name && v.passwordHash === password && v.state === 'Enabled');
    return vid && this.virtualIdIdentity(vid);
  }

  virtualIdIdentity(vid: VirtualId): Identity {
    const admin = this.accounts.find((a) => a.type === 'SystemAdmin');
    return { kind: 'virtualId', uuid: vid.uuid, name: vid.name, accountUuid: admin?.uuid ?? '', type: 'IAM2VirtualIDVO', admin: false };
  }
}

export function accountIdentity(account: Account): Identity {
  return { kind: 'account', uuid: account.uuid, name: account.name, accountUuid: account.uuid, type: 'AccountVO', admin: account.type === 'SystemAdmin' };
}
