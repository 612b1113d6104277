/**
 * Where each operation's parameters go, as the official SDK sends them: the URL query, except those listed
 * under `body`, which go in the form body. `safe` operations only read, so they may be retried after any failure.
 */
export interface OperationSpec {
  body?: readonly string[];
  safe: boolean;
}

export const operations = {
  GetUserActiveTenant: { safe: true },
  ListUserTenants: { safe: true },
  ListUsers: { safe: true },
  GetUser: { safe: true },
  SearchDatabase: { safe: true },
  GetInstance: { safe: true },
  ListEffectiveOrders: { safe: true },
  CreateOrder: { body: ['PluginParam'], safe: false },
  CreateDataCorrectOrder: { safe: false },
  CreateDataExportOrder: { safe: false },
  ListOrders: { safe: true },
  GetOrderBaseInfo: { safe: true },
  GetApprovalDetail: { safe: true },
  GetDataCorrectOrderDetail: { safe: true },
  GetDataCorrectTaskDetail: { safe: true },
  GetDataExportOrderDetail: { body: ['OrderId'], safe: true },
  GetDataExportPreCheckDetail: { safe: true },
  GetDataExportDownloadURL: { safe: true },
  SubmitOrderApproval: { safe: false },
  ApproveOrder: { safe: false },
  CloseOrder: { safe: false },
  ExecuteDataCorrect: { safe: false },
  ExecuteDataExport: { safe: false },
  // A repeated upload job only takes the same OSS object again, under a new key: harmless.
  CreateUploadOSSFileJob: { safe: true },
  GetUserUploadFileJob: { safe: true },
} as const satisfies Record<string, OperationSpec>;

export type Operation = keyof typeof operations;

export type ParamValue = string | number | boolean | object | undefined;
export type Params = Readonly<Record<string, ParamValue>>;

/** Scalars as strings; objects and arrays as one JSON string (the SDK's "json" style); undefined left out. */
export function wireValue(value: ParamValue): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Splits an operation's parameters into query and form body, in wire form. */
export function placeParams(operation: Operation, params: Params): { query: Record<string, string>; body: Record<string, string> } {
  const inBody = new Set<string>((operations[operation] as OperationSpec).body ?? []);
  const query: Record<string, string> = {};
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const wire = wireValue(value);
    if (wire !== undefined) (inBody.has(name) ? body : query)[name] = wire;
  }
  return { query, body };
}
