import type { Attachments } from './attachments';
import { type Answer, business, OSM, ok, osmFramework } from './errors';
import { findProblemType, type Language, nameOf, products, regions, satisfactionDimensions, severities, SOURCE_ID, subTypes } from './config';

/**
 * Cases with the spec's fields, validation and state machine (spec §2.1–2.6): create, list (filters before paging),
 * detail, status, counts, actions, score, contact info, messages, related cases and operate logs.
 */

export interface Caller {
  domainId: string;
  userId: string;
  userName: string;
  language: Language;
}

export interface FakeMessage {
  message_id: string;
  /** 0 customer, 1 Huawei engineer. */
  type: 0 | 1;
  replier: string;
  replier_name: string;
  content: string;
  createdAt: number;
  is_first_message: 0 | 1;
  accessory_ids: string[];
  /** Whether the customer has read it: an engineer's reply is unread until the case's messages are marked read. */
  read: boolean;
}

export interface OperateLog {
  incident_log_id: string;
  /** The fake's own numbering [inferred: the spec gives none]: see OPERATE_TYPES. */
  operate_type: number;
  /** 0 customer, 1 engineer. */
  operator_type: number;
  operator_id: string;
  operator_name: string;
  operate_desc: string;
  at: number;
}

export const OPERATE_TYPES = { create: 0, message: 1, press: 2, cancel: 3, close: 4, delete: 5, score: 6, status: 7, relation: 8, contact: 9 } as const;

export interface FakeCase {
  incident_id: string;
  domainId: string;
  xcustomer_id: string;
  xcustomer_name: string;
  status: number;
  business_type_id: string;
  product_category_id?: string;
  incident_sub_type_id?: string;
  region_id?: string;
  severity_id?: string;
  simple_description: string;
  remind_mobile?: string;
  remind_mail?: string;
  remind_time?: string;
  area_code?: string;
  project_id?: string;
  extends_map?: Record<string, unknown>;
  extension_map?: Record<string, unknown>;
  accessory_ids: string[];
  createdAt: number;
  /** When the case starts to show in list/count results (`listLagMs` after creation). */
  listedAt: number;
  confirmedAt?: number;
  messages: FakeMessage[];
  relations: string[];
  logs: OperateLog[];
  judgement?: string;
  satisfaction?: Array<{ satisfaction_id: number; satisfaction_value: number }>;
  lastPressAt?: number;
}

export type CaseAction = 'cancel' | 'close' | 'press' | 'delete';

/**
 * Which statuses allow which action, and where it leads (spec §2.3, partly inferred): cancel before the work is
 * done, urge while waiting or in progress, close once the customer can confirm, delete only finished cases.
 */
export const defaultActionRules: Record<CaseAction, { from: number[]; to?: number }> = {
  cancel: { from: [0, 1, 5, 17], to: 4 },
  press: { from: [0, 1] },
  close: { from: [1, 2, 5, 17], to: 3 },
  delete: { from: [3, 4, 12], to: 13 },
};

/** Where customers can still write: every status but completed, canceled, invalid and deleted [inferred]. */
const TERMINAL = [3, 4, 12, 13];

const MAX_LENGTHS: Record<string, number> = {
  business_type_id: 512,
  simple_description: 1200,
  source_id: 32,
  incident_sub_type_id: 32,
  product_category_id: 64,
  region_id: 64,
  remind_mobile: 32,
  remind_mail: 128,
  remind_time: 16,
  project_id: 64,
};
const STRING_FIELDS = [...Object.keys(MAX_LENGTHS), 'severity_id', 'verify_code', 'area_code'];

/** Times as the v1 doc shows them, UTC without milliseconds [inferred: the SDK types them as datetime]. */
export const osmTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

type Query = URLSearchParams;

/** A numeric query parameter in its documented range; out of range or not a number is a 400 OSM.0001. */
function intParam(query: Query, name: string, min: number, max: number): number | undefined | Answer {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || value < min || value > max) return osmFramework(400, `${name} must be an integer in ${min}..${max}`);
  return value;
}
// A FakeCase has a `status` too: an Answer is told apart by its body.
const isAnswer = (v: unknown): v is Answer => typeof v === 'object' && v !== null && ('json' in v || 'raw' in v);

function parseTime(text: string): number | undefined {
  const normalized = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(normalized);
  return Number.isNaN(ms) ? undefined : ms;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Cases {
  readonly all: FakeCase[] = [];
  listLagMs = 0;
  urgeIntervalMs = 3600_000;
  actionRules = structuredClone(defaultActionRules);
  private sequence = 0;
  private messageSequence = 0;

  constructor(
    private readonly attachments: Attachments,
    private readonly now: () => number,
  ) {}

  find(id: string, caller?: Caller): FakeCase | undefined {
    return this.all.find((c) => c.incident_id === id && (!caller || c.domainId === caller.domainId));
  }

  private mine(id: string, caller: Caller): FakeCase | Answer {
    return this.find(id, caller) ?? business(OSM.caseMissing);
  }

  private log(c: FakeCase, type: number, by: { id: string; name: string; engineer?: boolean }, desc: string): void {
    c.logs.push({ incident_log_id: `${c.incident_id}-L${c.logs.length + 1}`, operate_type: type, operator_type: by.engineer ? 1 : 0, operator_id: by.id, operator_name: by.name, operate_desc: desc, at: this.now() });
  }

  private message(c: FakeCase, type: 0 | 1, by: { id: string; name: string }, content: string, ids: string[]): FakeMessage {
    const message: FakeMessage = { message_id: `M${String(++this.messageSequence).padStart(10, '0')}`, type, replier: by.id, replier_name: by.name, content, createdAt: this.now(), is_first_message: c.messages.length === 0 ? 1 : 0, accessory_ids: ids, read: type === 0 };
    c.messages.push(message);
    return message;
  }

  create(body: unknown, caller: Caller): Answer {
    if (!isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    for (const field of STRING_FIELDS) {
      const value = body[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== 'string') return business(OSM.paramInvalid, `${field} must be a string`);
      if (MAX_LENGTHS[field] !== undefined && value.length > MAX_LENGTHS[field]) return business(OSM.paramInvalid, `${field} exceeds ${MAX_LENGTHS[field]} characters`);
    }
    for (const field of ['business_type_id', 'simple_description', 'source_id']) {
      if (typeof body[field] !== 'string' || !(body[field] as string).trim()) return business(OSM.paramInvalid, `${field} is required`);
    }
    if (body.source_id !== SOURCE_ID) return business(OSM.paramInvalid, 'source_id is not valid');
    const problem = findProblemType(body.business_type_id as string);
    if (!problem) return business(OSM.paramInvalid, 'business_type_id does not exist');
    const product = body.product_category_id as string | undefined;
    if (product !== undefined && (!products.some((p) => p.id === product) || problem.productId !== product)) return business(OSM.paramInvalid, 'product_category_id does not exist or does not own the problem type');
    if (body.incident_sub_type_id !== undefined && !subTypes.some((s) => s.id === body.incident_sub_type_id)) return business(OSM.paramInvalid, 'incident_sub_type_id does not exist');
    const region = body.region_id as string | undefined;
    if (problem.caseType === '5' && !region) return business(OSM.paramInvalid, 'region_id is required for a fault report');
    if (region && !regions.some((r) => r.region_id === region)) return business(OSM.paramInvalid, 'region_id does not exist');
    if (body.severity_id !== undefined && !severities.some((s) => s.id === body.severity_id)) return business(OSM.severityMissing);
    for (const field of ['extends_map', 'extension_map']) if (body[field] !== undefined && !isObject(body[field])) return business(OSM.paramInvalid, `${field} must be an object`);
    const refused = this.attachments.claim(body.accessory_ids, caller.domainId);
    if (refused) return refused;

    const now = this.now();
    const day = osmTime(now).slice(0, 10).replace(/-/g, '');
    const c: FakeCase = {
      incident_id: `CS${day}${String(++this.sequence).padStart(6, '0')}`,
      domainId: caller.domainId,
      xcustomer_id: caller.userId,
      xcustomer_name: caller.userName,
      status: 0,
      business_type_id: problem.id,
      product_category_id: product ?? problem.productId,
      incident_sub_type_id: body.incident_sub_type_id as string | undefined,
      region_id: region,
      severity_id: body.severity_id as string | undefined,
      simple_description: body.simple_description as string,
      remind_mobile: body.remind_mobile as string | undefined,
      remind_mail: body.remind_mail as string | undefined,
      remind_time: body.remind_time as string | undefined,
      area_code: body.area_code as string | undefined,
      project_id: body.project_id as string | undefined,
      extends_map: body.extends_map as Record<string, unknown> | undefined,
      extension_map: body.extension_map as Record<string, unknown> | undefined,
      accessory_ids: (body.accessory_ids as string[] | undefined) ?? [],
      createdAt: now,
      listedAt: now + this.listLagMs,
      messages: [],
      relations: [],
      logs: [],
    };
    this.attachments.claim(body.accessory_ids, caller.domainId, c.incident_id);
    // The description is the case's first message, as the console shows it [inferred].
    this.message(c, 0, { id: caller.userId, name: caller.userName }, c.simple_description, c.accessory_ids);
    this.log(c, OPERATE_TYPES.create, { id: caller.userId, name: caller.userName }, 'create case');
    this.all.push(c);
    return ok({ incident_id: c.incident_id });
  }

  private listed(caller: Caller): FakeCase[] {
    const now = this.now();
    return this.all.filter((c) => c.domainId === caller.domainId && c.listedAt <= now);
  }

  list(query: Query, caller: Caller): Answer {
    const offset = intParam(query, 'offset', 0, 65535);
    const limit = intParam(query, 'limit', 0, 100);
    const status = intParam(query, 'status', 0, 30);
    for (const v of [offset, limit, status]) if (isAnswer(v)) return v;
    const keys = query.getAll('search_key');
    if (keys.length > 3) return osmFramework(400, 'search_key takes at most 3 items');
    if (query.getAll('label_id_list').length > 5) return osmFramework(400, 'label_id_list takes at most 5 items');
    for (const [name, max] of [['app_key', 64], ['incident_id', 64], ['incident_status', 32], ['query_start_time', 32], ['query_end_time', 32], ['x_customer_name', 64]] as const) {
      if ((query.get(name) ?? '').length > max) return osmFramework(400, `${name} exceeds ${max} characters`);
    }
    const words = keys.flatMap((k) => k.split(/\s+/)).filter(Boolean).map((w) => w.toLowerCase());
    // "status list": a comma-separated list of codes [inferred].
    const statusList = (query.get('incident_status') ?? '').split(',').filter(Boolean).map(Number);
    const start = query.get('query_start_time') ? parseTime(query.get('query_start_time')!) : undefined;
    const end = query.get('query_end_time') ? parseTime(query.get('query_end_time')!) : undefined;
    const appKey = query.get('app_key');
    const id = query.get('incident_id');
    const subUser = query.get('x_customer_name');
    const selected = this.listed(caller)
      // Deleted cases leave the list unless asked for by status [inferred].
      .filter((c) => (status === undefined ? c.status !== 13 : c.status === status))
      .filter((c) => statusList.length === 0 || statusList.includes(c.status))
      .filter((c) => words.every((w) => c.simple_description.toLowerCase().includes(w)))
      .filter((c) => !appKey || c.incident_id.includes(appKey) || c.simple_description.includes(appKey))
      .filter((c) => !id || c.incident_id === id)
      .filter((c) => !subUser || c.xcustomer_name === subUser)
      .filter((c) => (start === undefined || c.createdAt >= start) && (end === undefined || c.createdAt <= end))
      .sort((a, b) => b.createdAt - a.createdAt || b.incident_id.localeCompare(a.incident_id));
    const from = (offset as number | undefined) ?? 0;
    const page = selected.slice(from, from + ((limit as number | undefined) ?? 10));
    return ok({ total_count: selected.length, incident_info_list: page.map((c) => this.row(c, caller.language)) });
  }

  count(query: Query, caller: Caller): Answer {
    const status = intParam(query, 'status', 0, 30);
    if (isAnswer(status)) return status;
    const counts = new Map<number, number>();
    for (const c of this.listed(caller)) if (status === undefined || c.status === status) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    return ok({ incident_status_counts: [...counts].sort(([a], [b]) => a - b).map(([s, count]) => ({ status: s, count })) });
  }

  private names(c: FakeCase, language: Language) {
    const problem = findProblemType(c.business_type_id);
    const product = products.find((p) => p.id === c.product_category_id);
    const sub = subTypes.find((s) => s.id === (c.incident_sub_type_id ?? product?.subTypeId));
    const region = regions.find((r) => r.region_id === c.region_id);
    return {
      business_type_name: problem ? nameOf(problem.name, language) : '',
      incident_type_name: sub ? nameOf(sub.name, language) : '',
      product_category_name: product ? nameOf(product.name, language) : '',
      dc_name: region ? nameOf(region.name, language) : '',
    };
  }

  private row(c: FakeCase, language: Language) {
    const n = this.names(c, language);
    return {
      incident_id: c.incident_id,
      status: c.status,
      business_type_name: n.business_type_name,
      incident_type_name: n.incident_type_name,
      product_category_name: n.product_category_name,
      incident_service_type: '',
      customer_id: c.domainId,
      xcustomer_id: c.xcustomer_id,
      xcustomer_name: c.xcustomer_name,
      dc_name: n.dc_name,
      simple_description: c.simple_description,
      root_cause: '',
      resolution: '',
      create_time: osmTime(c.createdAt),
      confirmed_time: c.confirmedAt === undefined ? null : osmTime(c.confirmedAt),
      label_list: [],
    };
  }

  detail(id: string, caller: Caller): Answer {
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    const n = this.names(c, caller.language);
    const severity = severities.find((s) => s.id === c.severity_id);
    return ok({
      incident_detail_info: {
        status: c.status,
        judgement: c.judgement ?? '',
        incident_id: c.incident_id,
        business_type_name: n.business_type_name,
        incident_type_name: n.incident_type_name,
        customer_id: c.domainId,
        xcustomer_id: c.xcustomer_id,
        xcustomer_name: c.xcustomer_name,
        dc_name: n.dc_name,
        simple_description: c.simple_description,
        source_name: caller.language === 'en-us' ? 'Self-service' : '自助提单',
        create_time: osmTime(c.createdAt),
        message_list: c.messages.map((m) => ({ ...this.messageRow(m), message_id: m.message_id })),
        incident_satisfaction: (c.satisfaction ?? []).map((s) => ({ ...s, satisfaction_name: nameOf(satisfactionDimensions.find((d) => d.satisfaction_id === s.satisfaction_id)!.name, caller.language) })),
        severity_name: severity ? nameOf(severity.name, caller.language) : '',
        business_ownership: 0,
        resolve_time: 0,
        ext_info: { area_code: c.area_code ?? '', remind_mobile: c.remind_mobile ?? '', remind_mail: c.remind_mail ?? '', contact_type: '', remind_time: c.remind_time ?? '', cc_email: '', commodity_id: '' },
      },
    });
  }

  private messageRow(m: FakeMessage) {
    return { type: m.type, replier: m.replier, replier_name: m.replier_name, content: m.content, create_time: osmTime(m.createdAt), is_first_message: m.is_first_message, accessory_list: this.attachments.list(m.accessory_ids) };
  }

  status(id: string, caller: Caller): Answer {
    const c = this.mine(id, caller);
    return isAnswer(c) ? c : ok({ status: c.status });
  }

  action(id: string, query: Query, body: unknown, caller: Caller): Answer {
    const actionId = query.get('action_id');
    if (!actionId) return osmFramework(400, 'action_id is required');
    if (actionId.length > 64 || !(actionId in this.actionRules)) return business(OSM.badAction);
    if (body !== undefined && !isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    for (const field of ['judgement', 'operate_desc', 'group_id']) if (body?.[field] !== undefined && typeof body[field] !== 'string') return business(OSM.paramInvalid, `${field} must be a string`);
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    const action = actionId as CaseAction;
    const rule = this.actionRules[action];
    if (!rule.from.includes(c.status)) return business(OSM.operationFail, `${action} is not allowed in status ${c.status}`);
    const now = this.now();
    if (action === 'press') {
      if (c.lastPressAt !== undefined && now - c.lastPressAt < this.urgeIntervalMs) return business(OSM.urgedTooOften);
      c.lastPressAt = now;
    }
    if (rule.to !== undefined) c.status = rule.to;
    if (action === 'close') c.confirmedAt = now;
    this.log(c, OPERATE_TYPES[action], { id: caller.userId, name: caller.userName }, String(body?.operate_desc ?? action));
    return ok({});
  }

  score(id: string, body: unknown, caller: Caller): Answer {
    if (!isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    if (typeof body.judgement !== 'string' || body.judgement.length > 400) return business(OSM.paramInvalid, 'judgement is required, at most 400 characters');
    const list = body.incident_satisfaction_list;
    if (!Array.isArray(list) || list.length === 0) return business(OSM.paramInvalid, 'incident_satisfaction_list is required');
    for (const item of list) {
      // Scores 1..5 per dimension [inferred].
      if (!isObject(item) || !satisfactionDimensions.some((d) => d.satisfaction_id === item.satisfaction_id) || !Number.isInteger(item.satisfaction_value) || (item.satisfaction_value as number) < 1 || (item.satisfaction_value as number) > 5) {
        return business(OSM.paramInvalid, 'each satisfaction needs a known satisfaction_id and a satisfaction_value 1..5');
      }
    }
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    if (c.status !== 3) return business(OSM.operationFail, 'only a completed case can be scored');
    if (c.satisfaction) return business(OSM.operationFail, 'the case has been scored already');
    c.judgement = body.judgement;
    c.satisfaction = (list as Array<{ satisfaction_id: number; satisfaction_value: number }>).map(({ satisfaction_id, satisfaction_value }) => ({ satisfaction_id, satisfaction_value }));
    this.log(c, OPERATE_TYPES.score, { id: caller.userId, name: caller.userName }, 'score');
    return ok({});
  }

  contactInfo(id: string, body: unknown, caller: Caller): Answer {
    if (!isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    for (const [field, max] of [['area_code', 16], ['remind_mobile', 32], ['remind_mail', 128], ['remind_time', 16]] as const) {
      const value = body[field];
      if (value !== undefined && (typeof value !== 'string' || value.length > max)) return business(OSM.paramInvalid, `${field} must be a string of at most ${max} characters`);
    }
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    for (const field of ['area_code', 'remind_mobile', 'remind_mail', 'remind_time'] as const) if (body[field] !== undefined) c[field] = body[field] as string;
    this.log(c, OPERATE_TYPES.contact, { id: caller.userId, name: caller.userName }, 'contact info');
    return ok({});
  }

  messages(id: string, query: Query, caller: Caller): Answer {
    const range = pageRange(query);
    if (isAnswer(range)) return range;
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    const page = c.messages.slice(range.from, range.to);
    return ok({
      count: c.messages.length,
      message_list: page.map((m) => ({ ...this.messageRow(m), replier_type: m.type, iam_user_type: m.type === 0 ? 1 : 0 })),
    });
  }

  /** `GET …/cases/instant-messages/unread?case_ids=a,b`: the unread engineer replies of the caller's cases. */
  unread(query: Query, caller: Caller): Answer {
    const ids = query.getAll('case_ids').join(',').split(',').map((id) => id.trim()).filter(Boolean);
    if (ids.length === 0) return osmFramework(400, 'case_ids is required');
    const imunread = ids.flatMap((id) => {
      const c = this.mine(id, caller);
      return isAnswer(c) ? [] : [{ status: c.status, incident_id: c.incident_id, unread_num: c.messages.filter((m) => !m.read).length }];
    });
    return ok({ imunread });
  }

  /** `POST …/cases/{id}/instant-messages/unread`: marks the case's messages read. */
  markRead(id: string, caller: Caller): Answer {
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    for (const message of c.messages) message.read = true;
    return ok({});
  }

  addMessage(id: string, body: unknown, caller: Caller): Answer {
    if (!isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    const message = body.message;
    if (!isObject(message) || typeof message.content !== 'string' || !message.content.trim()) return business(OSM.paramInvalid, 'message.content is required');
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    if (TERMINAL.includes(c.status)) return business(OSM.operationFail, `no messages in status ${c.status}`);
    const refused = this.attachments.claim(message.accessory_ids, caller.domainId);
    if (refused) return refused;
    const added = this.message(c, 0, { id: caller.userId, name: caller.userName }, message.content, (message.accessory_ids as string[] | undefined) ?? []);
    this.attachments.claim(message.accessory_ids, caller.domainId, added.message_id);
    this.log(c, OPERATE_TYPES.message, { id: caller.userId, name: caller.userName }, 'message');
    return ok({});
  }

  operateLogs(id: string, query: Query, caller: Caller): Answer {
    const range = pageRange(query);
    if (isAnswer(range)) return range;
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    const page = c.logs.slice(range.from, range.to);
    return ok({
      total_count: c.logs.length,
      incident_operate_log_list: page.map(({ at, ...log }) => ({ ...log, incident_id: c.incident_id, operate_time: osmTime(at).replace('T', ' ').replace('Z', ''), timestamp_operate_time: osmTime(at) })),
    });
  }

  addRelations(id: string, body: unknown, caller: Caller): Answer {
    if (!isObject(body)) return osmFramework(400, 'the body must be a JSON object');
    const ids = body.related_id_list;
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((v) => typeof v !== 'string')) return business(OSM.paramInvalid, 'related_id_list is required');
    if (ids.length > 3) return business(OSM.paramInvalid, 'a case supports at most 3 related cases');
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    for (const other of ids as string[]) {
      if (other === c.incident_id || !this.find(other, caller)) return business(OSM.paramInvalid, `related case ${other} does not exist`);
    }
    const merged = [...new Set([...c.relations, ...(ids as string[])])];
    if (merged.length > 3) return business(OSM.paramInvalid, 'a case supports at most 3 related cases');
    c.relations = merged;
    this.log(c, OPERATE_TYPES.relation, { id: caller.userId, name: caller.userName }, `relate ${(ids as string[]).join(',')}`);
    return ok({});
  }

  listRelations(id: string, caller: Caller): Answer {
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    return ok({ case_relation_list: c.relations.map((r) => this.find(r)!).map((r) => ({ case_id: r.incident_id, simple_description: r.simple_description, user_name: r.xcustomer_name })) });
  }

  deleteRelation(id: string, body: unknown, caller: Caller): Answer {
    if (!isObject(body) || typeof body.related_id !== 'string') return business(OSM.paramInvalid, 'related_id is required');
    const c = this.mine(id, caller);
    if (isAnswer(c)) return c;
    if (!c.relations.includes(body.related_id)) return business(OSM.operationFail, `${body.related_id} is not related`);
    c.relations = c.relations.filter((r) => r !== body.related_id);
    this.log(c, OPERATE_TYPES.relation, { id: caller.userId, name: caller.userName }, `unrelate ${body.related_id}`);
    return ok({});
  }

  /** Test hook: any status code, even one the spec does not list. */
  setNativeStatus(id: string, code: number): void {
    const c = this.find(id);
    if (!c) throw new Error(`no case ${id}`);
    c.status = code;
    if (code === 3) c.confirmedAt ??= this.now();
    this.log(c, OPERATE_TYPES.status, { id: 'engineer-001', name: '华为云技术支持', engineer: true }, `status ${code}`);
  }

  /** Test hook: a reply from Huawei support. */
  addEngineerMessage(id: string, text: string): FakeMessage {
    const c = this.find(id);
    if (!c) throw new Error(`no case ${id}`);
    const message = this.message(c, 1, { id: 'engineer-001', name: '华为云技术支持' }, text, []);
    this.log(c, OPERATE_TYPES.message, { id: 'engineer-001', name: '华为云技术支持', engineer: true }, 'message');
    return message;
  }
}

/** The page a case's list call asks for, by `offset` (0..65535) and `limit` (0..100, default 100), or its refusal. */
function pageRange(query: Query): { from: number; to: number } | Answer {
  const offset = intParam(query, 'offset', 0, 65535);
  const limit = intParam(query, 'limit', 0, 100);
  for (const v of [offset, limit]) if (isAnswer(v)) return v;
  const from = (offset as number | undefined) ?? 0;
  return { from, to: from + ((limit as number | undefined) ?? 100) };
}
