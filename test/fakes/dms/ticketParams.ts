/**
 * The content checks DMS makes on the JSON a create operation carries (CreateOrder's PluginParam, the dedicated
 * operations' Param): which keys, of which JSON types. Each returns the refusal message, or undefined.
 */

type Field =
  | { type: 'string' | 'integer' | 'boolean'; required?: boolean }
  | { type: 'enum'; values: readonly string[]; required?: boolean }
  | { type: 'integerList'; required?: boolean }
  | { type: 'objectList'; fields: Fields; required?: boolean };
type Fields = Record<string, Field>;

const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function typeError(path: string, field: Field, value: unknown): string | undefined {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : `${path} must be a string.`;
    case 'integer':
      return isInteger(value) && value >= 0 ? undefined : `${path} must be a non-negative integer (a JSON number).`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be true or false (a JSON boolean).`;
    case 'enum':
      return typeof value === 'string' && field.values.includes(value) ? undefined : `${path} must be one of ${field.values.join(', ')}.`;
    case 'integerList':
      return Array.isArray(value) && value.every(isInteger) ? undefined : `${path} must be an array of numbers.`;
    case 'objectList': {
      if (!Array.isArray(value) || value.length === 0) return `${path} must be a non-empty array.`;
      for (const [i, item] of value.entries()) {
        const error = fieldsError(`${path}[${i}]`, item, field.fields);
        if (error) return error;
      }
      return undefined;
    }
  }
}

/**
 * Required keys must be present (strings non-empty); every key must have its type. Unknown keys are refused: DMS's
 * documents list the keys each JSON takes, and a misspelt optional key would otherwise be dropped silently (inferred,
 * the stricter choice).
 */
function fieldsError(path: string, value: unknown, fields: Fields): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `${path} must be a JSON object.`;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!(key in fields)) return `${path} has an unknown key "${key}".`;
  for (const [key, field] of Object.entries(fields)) {
    const v = record[key];
    if (v === undefined || v === null) {
      if (field.required) return `${path}.${key} is mandatory.`;
      continue;
    }
    const error = typeError(`${path}.${key}`, field, v);
    if (error) return error;
    if (field.required && field.type === 'string' && !(v as string).trim()) return `${path}.${key} is mandatory.`;
  }
  return undefined;
}

/** CreateOrder DATA_EXPORT, from the PluginParam block of the CreateOrder document. */
const exportFields: Fields = {
  classify: { type: 'string', required: true },
  dbId: { type: 'integer', required: true },
  exeSQL: { type: 'string', required: true },
  logic: { type: 'boolean', required: true },
  // Required by CreateDataExportOrder, whose PluginParam is the same (inferred for CreateOrder).
  ignoreAffectRows: { type: 'boolean', required: true },
  affectRows: { type: 'integer', required: true },
  ignoreAffectRowsReason: { type: 'string' },
};

/** CreateOrder NDDL (schema design). */
const nddlFields: Fields = {
  title: { type: 'string', required: true },
  description: { type: 'string', required: true },
  dbId: { type: 'integer', required: true },
  logic: { type: 'boolean', required: true },
  relatedIds: { type: 'integerList' },
};

export function pluginParamError(pluginType: 'DATA_EXPORT' | 'NDDL', param: unknown): string | undefined {
  const error = fieldsError('PluginParam', param, pluginType === 'DATA_EXPORT' ? exportFields : nddlFields);
  if (error || pluginType !== 'DATA_EXPORT') return error;
  const p = param as { ignoreAffectRows: boolean; ignoreAffectRowsReason?: string };
  if (p.ignoreAffectRows && !p.ignoreAffectRowsReason?.trim()) return 'PluginParam.ignoreAffectRowsReason is mandatory when ignoreAffectRows is true.';
  return undefined;
}

const sqlTypes = ['TEXT', 'ATTACHMENT'] as const;

/** CreateDataCorrectOrder's Param, with the SDK model's PascalCase keys. */
const correctFields: Fields = {
  DbItemList: {
    type: 'objectList',
    required: true,
    // The SDK model does not mark DbId and Logic required; the API document does.
    fields: { DbId: { type: 'integer', required: true }, Logic: { type: 'boolean', required: true }, InstanceId: { type: 'integer' } },
  },
  SqlType: { type: 'enum', values: sqlTypes, required: true },
  ExecSQL: { type: 'string' },
  AttachmentName: { type: 'string' },
  EstimateAffectRows: { type: 'integer', required: true },
  Classify: { type: 'string' },
  RollbackSqlType: { type: 'enum', values: sqlTypes },
  RollbackSQL: { type: 'string' },
  RollbackAttachmentName: { type: 'string' },
  ExecMode: { type: 'enum', values: ['COMMITOR', 'AUTO', 'LAST_AUDITOR'] },
};

/**
 * CreateFreeLockCorrectOrder's Param: the same keys, but its SDK model has no EstimateAffectRows (so it is optional
 * here) and ExecSQL is mandatory, since attachments are not supported.
 */
const lockFreeFields: Fields = { ...correctFields, EstimateAffectRows: { type: 'integer' } };

export interface CorrectParam {
  DbItemList: Array<{ DbId: number; Logic: boolean; InstanceId?: number }>;
  SqlType: 'TEXT' | 'ATTACHMENT';
  ExecSQL?: string;
  AttachmentName?: string;
  RollbackSqlType?: 'TEXT' | 'ATTACHMENT';
  RollbackSQL?: string;
  RollbackAttachmentName?: string;
  ExecMode?: string;
  EstimateAffectRows?: number;
  Classify?: string;
}

export function correctParamError(param: unknown, lockFree: boolean): string | undefined {
  const error = fieldsError('Param', param, lockFree ? lockFreeFields : correctFields);
  if (error) return error;
  const p = param as CorrectParam;
  if (lockFree && p.SqlType !== 'TEXT') return 'Lock-free change does not support SqlType ATTACHMENT: send the SQL as ExecSQL.';
  if (p.SqlType === 'TEXT' && !p.ExecSQL?.trim()) return 'Param.ExecSQL is mandatory when SqlType is TEXT.';
  if (p.SqlType === 'ATTACHMENT' && !p.AttachmentName?.trim()) return 'Param.AttachmentName is mandatory when SqlType is ATTACHMENT.';
  if (p.RollbackSqlType === 'TEXT' && !p.RollbackSQL?.trim()) return 'Param.RollbackSQL is mandatory when RollbackSqlType is TEXT.';
  if (p.RollbackSqlType === 'ATTACHMENT' && !p.RollbackAttachmentName?.trim()) return 'Param.RollbackAttachmentName is mandatory when RollbackSqlType is ATTACHMENT.';
  return undefined;
}
