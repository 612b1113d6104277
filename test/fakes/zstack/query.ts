import { parseTimestamp } from './dates';
import { ApiFailure, argumentError, errorCode, PlainFailure } from './errors';

/**
 * The query APIs' URL syntax (q=, limit, start, sort, count, replyWithCount, fields) and its evaluation with SQL
 * semantics: conditions are ANDed, compare against typed columns, and NULL matches nothing but `is null`.
 */

export type Op = '!=' | '>=' | '<=' | '!?=' | '!~=' | '~=' | '?=' | '=' | '>' | '<' | 'is null' | 'not null';
/** Matched in this order, so that an operator contained in another comes after it. */
const operators: Op[] = ['!=', '>=', '<=', '!?=', '!~=', '~=', '?=', '=', '>', '<', 'is null', 'not null'];

export interface Condition {
  name: string;
  op: Op;
  value?: string;
}

export interface QuerySpec {
  conditions: Condition[];
  limit: number;
  start: number;
  count: boolean;
  replyWithCount: boolean;
  sortBy?: string;
  sortDirection: 'asc' | 'desc';
  fields?: string[];
}

export type ColumnType = 'string' | 'timestamp' | 'int' | 'bool' | 'json' | readonly string[];
/** The queryable columns of an inventory, with their types (a string list is an enum). */
export type Columns = Record<string, ColumnType>;

const DEFAULT_LIMIT = 1000;

export function parseQuery(search: URLSearchParams): QuerySpec {
  const spec: QuerySpec = { conditions: [], limit: DEFAULT_LIMIT, start: 0, count: false, replyWithCount: false, sortDirection: 'asc' };
  for (const rawName of new Set(search.keys())) {
    const name = rawName.trim();
    const value = (search.get(rawName) ?? '').trim();
    if (name === 'limit' || name === 'start') {
      if (!/^[-+]?\d+$/.test(value)) throw new PlainFailure(400, `Invalid query parameter. '${name}' must be an integer`);
      spec[name] = Number(value);
    } else if (name === 'count') spec.count = value.toLowerCase() === 'true';
    else if (name === 'replyWithCount') spec.replyWithCount = value.toLowerCase() === 'true';
    else if (name === 'sort') {
      spec.sortDirection = value.startsWith('-') ? 'desc' : 'asc';
      spec.sortBy = value.replace(/^[+-]+/, '');
    } else if (name === 'fields') spec.fields = value.split(',').map((f) => f.trim());
    else if (name === 'q') for (const cond of search.getAll(rawName)) spec.conditions.push(parseCondition(cond));
  }
  return spec;
}

function parseCondition(cond: string): Condition {
  const op = operators.find((o) => cond.includes(o));
  if (!op) {
    throw new PlainFailure(400, `Invalid query parameter. The '${cond}' in the parameter[q] doesn't contain any query operator. Valid query operators are [${operators.join(', ')}]`);
  }
  const at = cond.indexOf(op);
  const name = cond.slice(0, at).trim();
  if (op === 'is null' || op === 'not null') return { name, op };
  // The value is not trimmed: a space is valid in some conditions.
  return { name, op, value: cond.slice(at + op.length) };
}

export interface QueryAnswer {
  inventories?: Array<Record<string, unknown>>;
  total?: number;
}

/** How a kind of record is queried: its columns and how a record reads and shows. */
export interface Table<T> {
  columns: Columns;
  /** e.g. org.zstack.ticket.entity.TicketInventory, named in refusals. */
  inventoryClass: string;
  /** A column as the database holds it: timestamps as epoch ms, JSON columns as objects (compared as text). */
  value(row: T, column: string): unknown;
  inventory(row: T): Record<string, unknown>;
}

/** Filters, sorts and pages `rows` as the service would; total counts before paging. */
export function runQuery<T>(rows: T[], spec: QuerySpec, table: Table<T>): QueryAnswer {
  const { columns, inventoryClass } = table;
  const checks = spec.conditions.map((cond) => {
    const type = columns[cond.name];
    if (!type) throw argumentError(`condition name[${cond.name}] is invalid, no such field on inventory class[${inventoryClass}]`);
    return matcher(cond, type, table);
  });
  const selected = rows.filter((row) => checks.every((check) => check(row)));
  if (spec.count) return { total: selected.length };
  if (spec.sortBy !== undefined) {
    const type = columns[spec.sortBy];
    if (!type) throw argumentError(`sortBy[${spec.sortBy}] is invalid, no such field on inventory class[${inventoryClass}]`);
    const key = spec.sortBy;
    const sign = spec.sortDirection === 'asc' ? 1 : -1;
    selected.sort((a, b) => sign * compare(dbValue(table.value(a, key), type), dbValue(table.value(b, key), type)));
  }
  const start = Math.max(0, spec.start);
  let page = selected.slice(start, start + Math.max(0, spec.limit)).map((row) => table.inventory(row));
  if (spec.fields) {
    const fields = spec.fields;
    page = page.map((row) => Object.fromEntries(fields.filter((f) => f in row).map((f) => [f, row[f]])));
  }
  return { inventories: page, ...(spec.replyWithCount ? { total: selected.length } : {}) };
}

type Value = string | number | boolean | null;

function dbValue(value: unknown, type: ColumnType): Value {
  if (value === null || value === undefined) return null;
  if (type === 'json') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1; // MySQL puts NULL first when ascending
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** The condition's value converted to the column's type; an unconvertible value fails like the service (SYS.1000). */
function normalize(text: string, type: ColumnType): Value {
  const fail = () => new ApiFailure(errorCode('SYS.1000', `failed to parse value[${text}]`));
  if (type === 'timestamp') {
    const ms = parseTimestamp(text);
    if (ms === undefined) throw fail();
    return ms;
  }
  if (type === 'int') {
    if (!/^[-+]?\d+$/.test(text)) throw fail();
    return Number(text);
  }
  if (type === 'bool') return text.toLowerCase() === 'true';
  if (Array.isArray(type) && !type.includes(text)) throw fail();
  return text;
}

function likeRegExp(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'is');
}

function matcher<T>(cond: Condition, type: ColumnType, table: Table<T>): (row: T) => boolean {
  const column = (row: T) => dbValue(table.value(row, cond.name), type);
  if (cond.op === 'is null') return (row) => column(row) === null;
  if (cond.op === 'not null') return (row) => column(row) !== null;
  const raw = cond.value ?? '';
  if (cond.op === '?=' || cond.op === '!?=') {
    const list = raw.split(',').map((v) => normalize(v.trim(), type));
    const inList = (v: Value) => list.some((x) => x === v);
    return (row) => {
      const v = column(row);
      return v !== null && (cond.op === '?=' ? inList(v) : !inList(v));
    };
  }
  if (cond.op === '~=' || cond.op === '!~=') {
    const like = likeRegExp(raw);
    return (row) => {
      const v = column(row);
      return v !== null && like.test(String(v)) === (cond.op === '~=');
    };
  }
  const value = normalize(raw, type);
  return (row) => {
    const v = column(row);
    if (v === null) return false;
    const c = compare(v, value);
    switch (cond.op) {
      case '=':
        return c === 0;
      case '!=':
        return c !== 0;
      case '>':
        return c > 0;
      case '<':
        return c < 0;
      case '>=':
        return c >= 0;
      default:
        return c <= 0;
    }
  };
}
