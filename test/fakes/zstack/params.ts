import { argumentError, PlainFailure } from './errors';

/**
 * API parameters in two steps, as the service takes them: binding the JSON to the message class (Gson: a type
 * mismatch fails the HTTP request itself with a plain-text 500, before any job), then the message's @Param rules
 * (required, maxLength, nonempty, validValues: SYS.1007, for async APIs as the job's result).
 */

export type ParamType = 'string' | 'int' | 'bool' | 'list' | 'map' | 'object';

export interface ParamSpec {
  type: ParamType;
  required?: boolean;
  maxLength?: number;
  nonempty?: boolean;
  validValues?: readonly string[];
  /** For a list of objects (e.g. TicketRequest): the elements' fields. */
  items?: ApiParams;
}

export type ApiParams = Record<string, ParamSpec>;

const kindOf = (v: unknown) => (Array.isArray(v) ? 'BEGIN_ARRAY' : v === null ? 'NULL' : typeof v === 'object' ? 'BEGIN_OBJECT' : typeof v === 'string' ? 'STRING' : typeof v === 'number' ? 'NUMBER' : 'BOOLEAN');

function gsonError(message: string): PlainFailure {
  return new PlainFailure(500, `com.google.gson.JsonSyntaxException: java.lang.IllegalStateException: ${message}`);
}

/** Binds one value to a field of the given type, as Gson would (lenient for scalars, strict for structure). */
export function bindValue(value: unknown, type: ParamType, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (type) {
    case 'string':
      if (typeof value === 'object') throw gsonError(`Expected a string but was ${kindOf(value)} at path ${path}`);
      return String(value);
    case 'int': {
      const n = typeof value === 'string' && /^[-+]?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw gsonError(`Expected an int but was ${typeof value === 'object' ? kindOf(value) : String(value)} at path ${path}`);
      return n;
    }
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') return value.toLowerCase() === 'true';
      throw gsonError(`Expected a boolean but was ${kindOf(value)} at path ${path}`);
    case 'list':
      if (!Array.isArray(value)) throw gsonError(`Expected BEGIN_ARRAY but was ${kindOf(value)} at path ${path}`);
      return value;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) throw gsonError(`Expected BEGIN_OBJECT but was ${kindOf(value)} at path ${path}`);
      return value;
    default:
      return value;
  }
}

/** The message's fields from the body's parameter object; unknown fields are ignored, as Gson ignores them. */
export function bind(raw: unknown, spec: ApiParams, path = '$'): Record<string, unknown> {
  if (raw === null || raw === undefined) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw gsonError(`Expected BEGIN_OBJECT but was ${kindOf(raw)} at path ${path}`);
  const bound: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(spec)) {
    let value = bindValue((raw as Record<string, unknown>)[name], field.type, `${path}.${name}`);
    const items = field.items;
    if (items && Array.isArray(value)) value = value.map((item, i) => bind(item, items, `${path}.${name}[${i}]`));
    if (value !== undefined) bound[name] = typeof value === 'string' ? value.trim() : value;
  }
  return bound;
}

export function validate(apiClass: string, params: Record<string, unknown>, spec: ApiParams): void {
  for (const [name, field] of Object.entries(spec)) {
    const value = params[name];
    if (value === undefined) {
      if (field.required) throw argumentError(`field[${name}] of message[${apiClass}] is mandatory, can not be null`);
      continue;
    }
    if (field.maxLength !== undefined && typeof value === 'string' && value.length > field.maxLength) {
      throw argumentError(`field[${name}] of message[${apiClass}] exceeds max length of string. expected was <= ${field.maxLength}, actual was ${value.length}`);
    }
    if (field.nonempty && Array.isArray(value) && value.length === 0) throw argumentError(`field[${name}] of message[${apiClass}] must be a nonempty list`);
    if (field.validValues && !field.validValues.includes(String(value))) {
      throw argumentError(`valid value for field[${name}] of message[${apiClass}] are [${field.validValues.join(', ')}], but ${String(value)} found`);
    }
  }
}

/** systemTags / userTags, bound like any List<String>. */
export function bindTags(body: Record<string, unknown>): { systemTags?: string[]; userTags?: string[] } {
  const out: { systemTags?: string[]; userTags?: string[] } = {};
  for (const key of ['systemTags', 'userTags'] as const) {
    const list = bindValue(body[key], 'list', `$.${key}`) as unknown[] | undefined;
    if (list) out[key] = list.map((v, i) => bindValue(v, 'string', `$.${key}[${i}]`) as string);
  }
  return out;
}
