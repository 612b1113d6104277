import type { TicketKind } from '../../core/model/ticketKind';
import { type NativeStatusMap, type TicketStatus, normalizeStatus } from '../../core/model/ticketStatus';

/**
 * Ticket StatusCode values of ListOrders and GetOrderBaseInfo. The docs disagree on case (`approved` vs
 * `Approved`), so values are looked up lower-cased; the native value is kept as DMS sent it.
 */
const orderStatuses: NativeStatusMap = {
  new: 'prechecking',
  toaudit: 'pending_approval',
  approved: 'approved',
  processing: 'executing',
  success: 'succeeded',
  fail: 'failed',
  reject: 'rejected',
  cancel: 'cancelled',
  closed: 'cancelled',
};

export function orderStatus(native: string): TicketStatus {
  return { ...normalizeStatus(native.toLowerCase(), orderStatuses), native };
}

export type PrecheckState = 'running' | 'passed' | 'failed';

/** Precheck outcome from GetDataExportOrderDetail's JobStatus or GetDataCorrectOrderDetail's Status. */
export function precheckState(native: string | undefined): PrecheckState | undefined {
  const value = native?.toLowerCase().replace(/[-_]/g, '');
  if (!value) return undefined;
  if (['precheckfail', 'precheckfailed'].includes(value)) return 'failed';
  if (['prechecking', 'precheck', 'new'].includes(value)) return 'running';
  return 'passed';
}

/** Whether DMS prechecks tickets of this type before they go to approval (exports and data changes). */
export function hasPrecheck(pluginType: string | undefined): boolean {
  const type = pluginType?.toUpperCase();
  return type === 'DATA_EXPORT' || type === 'DATA_CORRECT' || type?.startsWith('DC_') === true;
}

/** A ticket still "new" whose precheck failed: failed, with the precheck's own status beside DMS's. */
export function precheckFailed(status: TicketStatus, precheckNative: string | undefined): TicketStatus {
  return { state: 'failed', native: `${status.native}/${precheckNative ?? 'precheck failed'}` };
}

/** Our ticket kinds from DMS plugin types; other types (permission tickets …) are shown with no kind. */
export function kindOfPlugin(pluginType: string | undefined): TicketKind | null {
  switch (pluginType?.toUpperCase()) {
    case 'DATA_EXPORT':
      return 'DATA_EXPORT';
    case 'NDDL':
      return 'SCHEMA_CHANGE';
    case 'DC_COMMON':
    case 'DATA_CORRECT':
    case 'DC_CHUNK':
      return 'DATA_CHANGE';
    default:
      return null;
  }
}

const filedAsTexts: Record<string, string> = {
  NDDL: 'Schema design ticket (NDDL): approving it does not run the DDL; DMS applies it through the schema design stages in its console.',
  DC_COMMON: 'Regular data change ticket (DC_COMMON): once it is approved, Execute runs its SQL on the database.',
  DATA_CORRECT: 'Regular data change ticket (DC_COMMON): once it is approved, Execute runs its SQL on the database.',
  DC_CHUNK: 'Lock-free data change ticket (DC_CHUNK): once it is approved, Execute runs its SQL in batches.',
  DATA_EXPORT: 'Data export ticket (DATA_EXPORT): once it is approved, Execute runs the query and makes the result file to download.',
};

/** The DMS type of a ticket and what it does once approved. */
export function filedAs(pluginType: string | undefined): string | undefined {
  const type = pluginType?.toUpperCase();
  if (!type) return undefined;
  return filedAsTexts[type] ?? `${type} ticket: DMS runs it stage by stage in its console.`;
}

/** Told before a schema change is submitted: which DMS ticket it becomes, and whether approving it runs the DDL. */
export function schemaChangeNote(schemaChangeAs: 'NDDL' | 'DATA_CORRECT'): string {
  return schemaChangeAs === 'NDDL'
    ? 'DMS files this schema change as a schema design ticket (NDDL): approving it does not run the DDL; DMS applies it through the schema design stages in its console. For a ticket that DMS runs once approved, set "schemaChangeAs": "DATA_CORRECT" in the profile.'
    : 'DMS files this schema change as a regular data change ticket (DC_COMMON): once it is approved, Execute runs the DDL on the database.';
}
