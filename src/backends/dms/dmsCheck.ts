import type { BackendCheck, OperationContext } from '../../core/backend/backend';
import type { DmsProfile } from './dmsProfile';
import { type DmsEffectiveOrder, type DmsTenant, type DmsUser, idText, listOf } from './dmsResponses';
import type { RpcClient } from './rpcClient';

const modes: Record<string, string> = { safety: 'Security Collaboration', stand: 'Stable Change' };

/**
 * What the profile reaches: the tenant, the user (`currentUser`: the backend's, asked once per process), and the DMS
 * edition the tenant bought (ListEffectiveOrders), with a warning for each ticket kind the edition's control mode
 * cannot run.
 */
export async function checkTenant(client: RpcClient, profile: DmsProfile, currentUser: () => Promise<DmsUser | undefined>, ctx: OperationContext): Promise<BackendCheck> {
  const facts: BackendCheck['facts'] = [];
  const warnings: string[] = [];
  // Asked without the profile's tid, so that a wrong one is reported with the tenants to choose from.
  const { TenantList } = await client.call<{ TenantList?: unknown }>('ListUserTenants', { Tid: undefined }, ctx);
  const tenants = listOf<DmsTenant>(TenantList, 'TenantList');
  const tenant = profile.tid === undefined ? await activeTenant(client, ctx) : tenants.find((t) => idText(t.Tid) === String(profile.tid));
  facts.push({ label: 'Tenant', value: tenant ? tenantName(tenant) : 'none found' });
  const others = tenants.filter((t) => idText(t.Tid) !== idText(tenant?.Tid));
  if (others.length > 0) facts.push({ label: 'Other tenants', value: others.map(tenantName).join(', ') });
  if (!tenant && profile.tid !== undefined) {
    const choices = tenants.length > 0 ? `set "tid" to one of yours — ${tenants.map(tenantName).join(', ')} — or remove it to use your active tenant` : 'remove "tid" to use your active tenant';
    warnings.push(`tid ${profile.tid} is not a DMS tenant of this account: ${choices} (profile "${profile.name}").`);
    return { facts, warnings };
  }
  if (!tenant) warnings.push('No DMS tenant was found for this account: ask your DMS administrator to add you to the tenant.');
  else if (tenant.Status && tenant.Status.toUpperCase() !== 'ACTIVE') warnings.push(`Tenant ${idText(tenant.Tid)} is ${tenant.Status}: tickets cannot be created in it; choose an active tenant.`);

  const user = await currentUser();
  if (user) {
    const roles = listOf<string>(user.RoleNameList, 'RoleNames');
    facts.push({ label: 'User', value: `${user.NickName ?? '(no name)'} (DMS user ${idText(user.UserId)})${roles.length > 0 ? `, ${roles.join(', ')}` : ''}` });
  }

  const { OrderSummary } = await client.call<{ OrderSummary?: unknown }>('ListEffectiveOrders', {}, ctx);
  const editions = listOf<DmsEffectiveOrder>(OrderSummary, 'OrderSummary').filter((o) => (o.CommodityType ?? 'VersionType').toLowerCase() === 'versiontype');
  const versionTypes = new Set(editions.map((o) => (o.VersionType ?? '').toLowerCase()).filter(Boolean));
  const modeNames = [...versionTypes].map((v) => modes[v] ?? `unknown (${v})`);
  facts.push({ label: 'Control mode', value: modeNames.length > 0 ? modeNames.join(', ') : 'none purchased (Flexible Management)' });
  for (const edition of editions) {
    const used = (edition.OrderList ?? []).reduce((sum, order) => sum + (Number(order.InsNum) || 0), 0);
    const ends = (edition.OrderList ?? []).map((o) => o.EndTime).filter(Boolean).sort().pop();
    facts.push({ label: `Quota (${modes[(edition.VersionType ?? '').toLowerCase()] ?? edition.VersionType ?? 'edition'})`, value: `${edition.TotalQuota ?? '?'} instances${used ? `, ${used} in purchase orders` : ''}${ends ? `, until ${ends}` : ''}` });
  }
  if (!versionTypes.has('safety')) {
    const have = versionTypes.has('stand') ? 'Stable Change' : 'no paid control mode (Flexible Management)';
    warnings.push(
      `This tenant has ${have}: DMS runs data export, data change and schema design tickets only on instances in Security Collaboration mode, so these tickets will be refused on other instances. Ask your DMS administrator to put the instances in Security Collaboration mode.`,
    );
  }
  return { facts, warnings };
}

function tenantName(tenant: DmsTenant): string {
  return `${tenant.TenantName ?? '(no name)'} (tid ${idText(tenant.Tid)})${tenant.Status && tenant.Status.toUpperCase() !== 'ACTIVE' ? `, ${tenant.Status}` : ''}`;
}

async function activeTenant(client: RpcClient, ctx: OperationContext): Promise<DmsTenant | undefined> {
  const { Tenant } = await client.call<{ Tenant?: DmsTenant }>('GetUserActiveTenant', {}, ctx);
  return Tenant && idText(Tenant.Tid) ? Tenant : undefined;
}
