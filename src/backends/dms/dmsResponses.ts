/** The response fields DMS documents and this backend reads; everything optional, since samples vary. */

export interface DmsOrder {
  OrderId?: number | string;
  PluginType?: string;
  StatusCode?: string;
  StatusDesc?: string;
  Comment?: string;
  Committer?: string;
  CommitterId?: number | string;
  CreateTime?: string;
  LastModifyTime?: string;
}

export interface DmsOrderBaseInfo extends DmsOrder {
  WorkflowInstanceId?: number | string;
  WorkflowStatusDesc?: string;
  RelatedUserList?: { UserIds?: Array<string | number> };
  RelatedUserNickList?: { UserNicks?: string[] };
  AttachmentKey?: string;
  OriginAttachmentName?: string;
}

export interface DmsWorkflowNode {
  NodeName?: string;
  OperatorId?: number | string;
  OperateTime?: string;
  OperateComment?: string;
  WorkflowInsCode?: string;
  AuditUserIdList?: { AuditUserIds?: Array<string | number> };
}

export interface DmsApprovalDetail {
  Title?: string;
  Description?: string;
  WorkflowInsCode?: string;
  CurrentHandlers?: { CurrentHandler?: Array<{ Id?: number | string; NickName?: string }> };
  ReasonList?: { Reasons?: string[] };
  WorkflowNodes?: { WorkflowNode?: DmsWorkflowNode[] };
}

export interface DmsExportDetail {
  KeyInfo?: { JobId?: number; PreCheckId?: number; JobStatus?: string };
  OrderDetail?: { DbId?: number | string; Database?: string; EnvType?: string; Logic?: boolean; ExeSQL?: string; Classify?: string; ActualAffectRows?: number; IgnoreAffectRows?: boolean };
}

export interface DmsCorrectDetail {
  Status?: string;
  ExecMode?: string;
  DatabaseList?: { Database?: Array<{ DbId?: number | string; SearchName?: string; EnvType?: string; DbType?: string; Logic?: boolean }> };
  OrderDetail?: { ExeSQL?: string; EstimateAffectRows?: number; ActualAffectRows?: number; Classify?: string };
  PreCheckDetail?: { TaskCheckDO?: Array<{ CheckStep?: string; CheckStatus?: string; UserTip?: string }> };
}

export interface DmsUser {
  UserId?: number | string;
  Uid?: number | string;
  NickName?: string;
  RoleNameList?: { RoleNames?: string[] };
  RoleIdList?: { RoleIds?: Array<number | string> };
}

export interface DmsSearchDatabase {
  DatabaseId?: string | number;
  SchemaName?: string;
  SearchName?: string;
  Alias?: string;
  Logic?: boolean;
  DbType?: string;
  EnvType?: string;
  Host?: string;
  Port?: number | string;
}

export interface DmsTenant {
  Tid?: number | string;
  TenantName?: string;
  Status?: string;
}

export interface DmsEffectiveOrder {
  CommodityCode?: string;
  CommodityType?: string;
  VersionType?: string;
  TotalQuota?: number;
  OrderList?: Array<{ InstanceId?: string; InsNum?: string | number; EndTime?: string }>;
}

/** DMS wraps arrays in a singular-named object (`Orders.Order[]`); some are bare. Both read as an array. */
export function listOf<T>(value: unknown, key: string): T[] {
  if (Array.isArray(value)) return value as T[];
  const inner = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(inner) ? (inner as T[]) : [];
}

/** "2022-04-08 11:27:45" (zone not stated by DMS) as ISO 8601 "2022-04-08T11:27:45"; other text unchanged. */
export function isoTime(value: string | undefined): string {
  if (!value) return '';
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value) ? value.replace(' ', 'T') : value;
}

export function idText(value: number | string | undefined): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : String(value);
}
