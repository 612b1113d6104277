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
