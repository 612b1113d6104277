import type { BackendCheck } from '../../../core/backend/backend';
import type { BackendHost } from '../../backendModule';
import type { HeartbeatSite } from '../executionHeartbeat';
import type { LocalStore } from '../store/localStore';
import type { ResultSite } from '../storedResult';
import type { Viewer } from '../ticketActions';
import { describeStore, type PostgresConnection, teamClientConfig } from './teamConnection';
import { teamRoles } from './teamSchema';
import { TeamTicketStore } from './teamTicketStore';

export interface OpenedTeamStore {
  tickets: LocalStore;
  heartbeats: HeartbeatSite;
  recovers: boolean;
  results: ResultSite;
  team: NonNullable<Viewer['team']>;
  /** The role that connected: the actor of everything this user records. */
  actor: string;
  check: () => Promise<BackendCheck>;
  watch: (listener: () => void) => Promise<{ live: boolean; dispose(): void }>;
}

/** Opens a Local profile's team store: connects, sets up the schema where the role may, and finds out who it is. */
export async function openTeamStore(connection: PostgresConnection, profile: { name: string; actor?: string; resultLimitBytes?: number }, host: Pick<BackendHost, 'passwords' | 'onStoreProblem' | 'warn'>): Promise<OpenedTeamStore> {
  const location = describeStore(connection);
  const store = await TeamTicketStore.open(await teamClientConfig(connection, host.passwords), { location, onProblem: host.onStoreProblem });
  const { actor, roles, selfApproval } = store.identity;
  const ignoredActor = profile.actor !== undefined && profile.actor !== actor;
  if (ignoredActor) host.warn?.(`profile "${profile.name}": its actor "${profile.actor}" is ignored on ${location}; you act as the role you connect as, ${actor}. Remove the actor setting.`);
  return {
    tickets: store,
    heartbeats: store.heartbeats(),
    recovers: roles.has('executor'),
    results: store.results(profile.resultLimitBytes),
    team: { roles, selfApproval },
    actor,
    watch: (listener) => store.subscribe(listener),
    check: async () => {
      const missing = (Object.keys(teamRoles) as Array<keyof typeof teamRoles>).filter((role) => !roles.has(role));
      return {
        facts: [
          { label: 'Store', value: location },
          { label: 'You act as', value: actor },
          { label: 'Your roles', value: roles.size > 0 ? [...roles].join(', ') : 'none' },
        ],
        warnings: [
          ...(ignoredActor ? [`The profile's actor "${profile.actor}" is ignored on a team store: everything you record is recorded as the role you connect as, ${actor}. Remove the actor setting.`] : []),
          ...(roles.size === 0
            ? [`Your role ${actor} is a member of none of ${Object.values(teamRoles).join(', ')}: you can read the tickets, nothing more. Ask the database owner to grant the roles you need.`]
            : missing.map((role) => `You cannot ${role === 'submitter' ? 'submit tickets' : role === 'approver' ? 'approve or reject tickets' : 'execute tickets'}: that takes membership in ${teamRoles[role]}.`)),
        ],
      };
    },
  };
}
