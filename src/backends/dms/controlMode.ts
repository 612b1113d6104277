import type { OperationContext } from '../../core/backend/backend';
import type { ResolvedTarget } from './dmsDraft';
import type { RpcClient } from './rpcClient';

const modeNames: Record<string, string> = { COMMON: 'Security Collaboration', STABLE: 'Stable Change', NONE_CONTROL: 'Flexible Management' };

/** The control modes DMS runs each ticket type in: lock-free change also in Stable Change, the rest only in Security Collaboration. */
function modesFor(pluginType: string): readonly string[] {
  return pluginType === 'DC_CHUNK' ? ['COMMON', 'STABLE'] : ['COMMON'];
}

/**
 * Why DMS refused to create a ticket of `pluginType` on the target, when it is the control mode of the database's
 * instance (GetInstance → StandardGroup.GroupMode); undefined when the mode allows it or cannot be told.
 */
export async function controlModeProblem(client: RpcClient, target: ResolvedTarget, pluginType: string, ctx: OperationContext): Promise<string | undefined> {
  if (!target.host || target.port === undefined) return undefined;
  const response = await client
    .call<{ Instance?: { InstanceId?: string | number; InstanceAlias?: string; StandardGroup?: { GroupMode?: string } } }>('GetInstance', { Host: target.host, Port: target.port }, ctx)
    .catch(() => undefined);
  const instance = response?.Instance;
  const mode = instance?.StandardGroup?.GroupMode?.toUpperCase();
  if (!mode || modesFor(pluginType).includes(mode)) return undefined;
  const name = instance?.InstanceAlias ? `${instance.InstanceAlias} (${instance.InstanceId})` : String(instance?.InstanceId ?? target.host);
  const needed = modesFor(pluginType).map((m) => modeNames[m]).join(' or ');
  return `The database ${target.name ?? target.dbId} is on DMS instance ${name}, which is in ${modeNames[mode] ?? mode} mode: DMS runs ${pluginType} tickets only on instances in ${needed} mode. Ask your DMS administrator to change the instance's control mode, or file the change on a database in that mode.`;
}
