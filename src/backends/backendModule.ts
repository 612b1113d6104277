import type { Backend } from '../core/backend/backend';
import type { Localizable } from '../core/localizable';
import type * as z from '../core/zod';
import type { NetSettings } from '../net/dispatcher';
import type { ConnectionConfig } from './local/db/connectionConfig';
import type { PasswordSource } from './local/db/passwordSource';
import type { StoreProblem } from './local/store/storeProblems';

/** What the front end that opens a backend knows about its host. */
export interface BackendHost {
  /** The Local backend's default store folder (the extension's global storage, or the CLI's data folder). */
  storeDir: string;
  /** Where the demo database keeps its files. Never inside a profile's store, which a team may keep in git. */
  demoDir: string;
  /**
   * Where the demo database runs: on a worker thread (the default, for the extension host: a long statement never
   * stalls it, and the thread's memory goes back after idle minutes), or on the caller's thread (the CLI: one
   * command per process, so less memory and a faster start matter more).
   */
  demoOn?: 'worker' | 'caller';
  /** Who the user is, for the audit trail. */
  actor: string;
  /** The databases the Local backend runs tickets on, as configured now. */
  connections: () => readonly ConnectionConfig[];
  passwords: PasswordSource;
  /**
   * A profile's secret field (e.g. `accessKeySecret`) from the host's secure storage: SecretStorage in the extension;
   * in the CLI the environment variable the backend module names for it.
   */
  secret: (profile: string, field: string) => Promise<string | undefined>;
  /** The environment the backends read credentials and settings from. */
  env: NodeJS.ProcessEnv;
  /** The user's display language, e.g. "zh-cn", for services that answer in it. */
  language: string;
  onStoreProblem?: (problem: StoreProblem) => void;
  /** Tells the user of a setting that has no effect (e.g. a profile's actor on a team store): stderr, a notification. */
  warn?: (message: string) => void;
  /** Proxy and certificate settings for the cloud backends; the environment (HTTPS_PROXY, NO_PROXY) fills the rest. */
  net?: NetSettings;
  /** Diagnostic lines from the cloud backends (one per request, secrets removed). */
  log?: (line: string) => void;
}

/** What every profile has; each backend's schema adds its own fields. */
export interface ProfileBase {
  name: string;
  backend: string;
  [field: string]: unknown;
}

/** A value kept in the host's secure storage, never in settings; the CLI reads it from `env`. */
export interface SecretField {
  key: string;
  label: Localizable;
  required: boolean;
  /** The environment variable that supplies it to the CLI (and, where the backend reads it, to the extension). */
  env: string;
  /** Whether the form asks for it, given the answers to the backend's fields so far (default: always). */
  when?: (values: Readonly<Record<string, string>>) => boolean;
}

export interface FormChoice {
  value: string;
  label: Localizable;
  description?: Localizable;
  detail?: Localizable;
}

/**
 * One step of a backend's Add/Edit Profile form, host-free: the extension turns it into a quick input step and
 * translates its text. Values are text while the form runs; `type` says how one is written into the profile.
 */
export interface ProfileFormField {
  key: string;
  prompt: Localizable;
  kind: 'text' | 'pick' | 'folder';
  placeholder?: string;
  /** How the answer is stored: text (default), a whole number, true/false (a pick of 'true' / 'false'), or a JSON value typed as text. */
  type?: 'string' | 'integer' | 'boolean' | 'json';
  /** The answer a new profile starts with. */
  initial?: string;
  /** For picks: the choices. */
  choices?: readonly FormChoice[];
  /** For picks: typed text that matches no choice is taken as the value. */
  freeText?: boolean;
  /**
   * For folders: what the default (empty) answer means, and what browsing is for; `orTeamStore`: each PostgreSQL
   * connection is offered too, as a team store (the answer `{"connection": "<name>"}`).
   */
  folder?: { defaultLabel: Localizable; defaultDetail: Localizable; browseDetail: Localizable; openLabel: Localizable; orTeamStore?: boolean };
  /** The problem with an answer, given the answers so far; undefined when it is fine. */
  validate?: (value: string, values: Readonly<Record<string, string>>) => Localizable | undefined;
  /** Whether the step applies, given the answers so far. */
  when?: (values: Readonly<Record<string, string>>) => boolean;
  /**
   * The service offers the choices (`Backend.profileChoices`): the step is asked after the secrets, with a backend
   * opened on the answers so far; typing a value that is not offered is still allowed.
   */
  offered?: boolean;
}

/**
 * A backend, as the front ends see it before opening one: everything that differs between backends lives here,
 * so nothing else switches on a backend's id.
 */
export interface BackendModule {
  id: string;
  /** English; the extension translates it. */
  displayName: Localizable;
  /** One line for the "where should tickets go" choice. */
  description: Localizable;
  /** Codicon of its profiles in the Tickets view. */
  icon: string;
  /** The profile's fields (name and backend included), each documented; settings and the CLI config validate with it. */
  profileSchema: z.ZodMiniType<ProfileBase>;
  secretFields: readonly SecretField[];
  /** The Add/Edit Profile form's steps after the name (secret fields are asked after these). */
  formFields: readonly ProfileFormField[];
  /** Whether its profiles run tickets on the configured database connections (offers Add Database Connection). */
  usesConnections: boolean;
  /**
   * Opens the backend of a profile already validated with `profileSchema`. It imports the backend's implementation
   * (`await import`), so describing a backend loads none of it.
   */
  open(profile: ProfileBase, host: BackendHost): Promise<Backend>;
}
