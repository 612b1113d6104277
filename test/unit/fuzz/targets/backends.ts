import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ApprovalStep, TicketEvent, TicketSummary } from '../../../../src/core/backend/backend';
import { TicketKind } from '../../../../src/core/model/ticketKind';
import { TicketState } from '../../../../src/core/model/ticketStatus';
import { createdOrderIds, splitComment } from '../../../../src/backends/dms/dmsDraft';
import { listOf } from '../../../../src/backends/dms/dmsResponses';
import { precheckState } from '../../../../src/backends/dms/dmsStatus';
import { approvalSteps as dmsApprovalSteps, correctPrecheck, currentHandlers, handlerNames, history as dmsHistory, toSummary, userIdsOf } from '../../../../src/backends/dms/dmsTickets';
import { commentsOf, historyOf, summaryOf as osmSummary } from '../../../../src/backends/huawei/osmCases';
import { approvalSteps as zsApprovalSteps, executionOf, historyEvents, summaryOf as zsSummary, type Viewer as ZsViewer } from '../../../../src/backends/zstack/zstackTickets';
import { bounded, type FuzzProperty, hugeText, throwsOnly } from '../harness';

/** A field's value as a service might send it: the documented type, null, or an extreme of that type. */
function field(good: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: fc.constant(null) });
}

/** An object with some of `fields` (always those in `required`), each from `field`. */
function shaped(fields: Record<string, fc.Arbitrary<unknown>>, required: string[] = []): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(Object.entries(fields).map(([key, good]) => [key, required.includes(key) ? good : field(good)])), { requiredKeys: required });
}

const id = fc.oneof(fc.nat(), fc.constantFrom(2 ** 53 + 2, 1e21), fc.stringMatching(/^\d{1,12}$/), fc.string({ maxLength: 12 }));
const time = fc.oneof(fc.constantFrom('2022-04-08 11:27:45', '2024-02-30T25:61:61Z', 'Dec 28, 2018 6:38:12 PM', 'Feb 31, 99999 99:99:99 PM', '9999-99-99 99:99:99'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string({ maxLength: 24 }));
const text = fc.oneof(
  { weight: 40, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 4, arbitrary: fc.constantFrom('Title\nReason\n[db-tickets draft d-1]', '[db-tickets draft x]', '\n\n') },
  { weight: 1, arbitrary: hugeText },
);
/** Numbers at the edges: past 2^53, past the largest date. */
const number = (max: number) => fc.oneof(fc.nat({ max }), fc.constantFrom(-1, 2 ** 53 + 2, 8.64e15 + 1, 1e21));
const list = (item: fc.Arbitrary<unknown>) => fc.array(item, { maxLength: 4 });
const wrapped = (key: string, item: fc.Arbitrary<unknown>) => fc.oneof(list(item), fc.record({ [key]: list(item) }));
const names: ReadonlyMap<string, string> = new Map([['1', 'Ann'], ['u1', 'Ben']]);

function checkSummary(summary: TicketSummary, input: unknown): void {
  for (const key of ['id', 'title', 'createdAt', 'updatedAt'] as const) assert.equal(typeof summary[key], 'string', key);
  assert.ok(summary.kind === null || TicketKind.options.includes(summary.kind), `kind ${String(summary.kind)}`);
  assert.ok(TicketState.options.includes(summary.status.state), `state ${String(summary.status.state)}`);
  assert.equal(typeof summary.needsYou, 'boolean');
  assert.ok(Array.isArray(summary.actions));
  if (summary.submitter) assert.ok(typeof summary.submitter.id === 'string' && typeof summary.submitter.name === 'string', 'submitter');
  for (const key of ['database', 'sqlExcerpt', 'webUrl'] as const) assert.ok(summary[key] === undefined || typeof summary[key] === 'string', key);
  checkSize(summary, input);
}

/** Every step may quote the comment of the history entry it matches, so steps are bounded per step. */
function checkSteps(steps: ApprovalStep[], input: unknown): void {
  for (const step of steps) {
    assert.equal(typeof step.name, 'string');
    assert.ok(step.at === undefined || typeof step.at === 'string');
    assert.ok(step.comment === undefined || typeof step.comment === 'string');
  }
  checkSize(steps, input, steps.length + 2);
}

function checkEvents(events: TicketEvent[], input: unknown): void {
  for (const event of events) {
    assert.ok(typeof event.at === 'string' && typeof event.action === 'string' && typeof event.actor.name === 'string', JSON.stringify(event).slice(0, 200));
  }
  checkSize(events, input);
}

/** What a parser returns is bounded by what it was given. */
function checkSize(output: unknown, input: unknown, times = 3): void {
  const size = JSON.stringify(output)?.length ?? 0;
  assert.ok(size <= times * (JSON.stringify(input)?.length ?? 0) + 4000, `output of ${size} characters`);
}

const dmsOrder = shaped({
  OrderId: id,
  PluginType: fc.constantFrom('DATA_EXPORT', 'NDDL', 'DC_COMMON', 'data_correct', 'PERM_APPLY'),
  StatusCode: fc.constantFrom('new', 'toaudit', 'Approved', 'processing', 'success', 'fail', 'reject', 'cancel', 'closed', 'weird'),
  StatusDesc: text,
  Comment: text,
  Committer: text,
  CommitterId: id,
  CreateTime: time,
  LastModifyTime: time,
});
const dmsNode = shaped({
  NodeName: text,
  OperatorId: id,
  OperateTime: time,
  OperateComment: text,
  WorkflowInsCode: fc.constantFrom('approved', 'reject', 'cancel', 'auditing', 'start', 'error', 'other'),
  AuditUserIdList: wrapped('AuditUserIds', id),
});
const dmsApproval = shaped({
  Title: text,
  WorkflowInsCode: text,
  CurrentHandlers: wrapped('CurrentHandler', shaped({ Id: id, NickName: text })),
  WorkflowNodes: wrapped('WorkflowNode', dmsNode),
});

const osmRow = shaped({
  incident_id: fc.string({ maxLength: 20 }),
  status: number(20),
  simple_description: fc.oneof(text, fc.constantFrom('T\nKind: DATA_EXPORT\nDatabase: d\nReason: r\nSQL:\nSELECT 1\n\n[db-tickets draft a]', 'T\nKind: X\nDatabase: \nReason: \nSQL: attached as f.txt (12 characters)')),
  xcustomer_id: text,
  xcustomer_name: text,
  create_time: fc.oneof(time, number(4e12)),
  confirmed_time: fc.oneof(time, fc.constant(null)),
}, ['incident_id']);
const osmMessage = shaped({ type: fc.constantFrom(0, 1), replier: text, replier_name: text, content: text, create_time: time, is_first_message: fc.constantFrom(0, 1) });
const osmLog = shaped({ operate_type: number(9), operator_type: fc.constantFrom(0, 1), operator_id: text, operator_name: text, operate_desc: text, operate_time: time, timestamp_operate_time: time });
const osmDetail = shaped({
  xcustomer_id: text,
  xcustomer_name: text,
  judgement: text,
  incident_satisfaction: list(shaped({ satisfaction_id: number(9), satisfaction_name: text, satisfaction_value: number(5) })),
});

const zsStatus = fc.constantFrom('Pending', 'IntermediateApproved', 'FinalApproved', 'Rejected', 'Cancelled', 'Odd');
const zsResult = shaped({ requestName: text, successTimes: number(3), failureTimes: number(3), errors: list(shaped({ code: text, description: text, details: text })) });
const zsTicket = shaped({
  uuid: fc.string({ maxLength: 32 }),
  name: text,
  description: fc.oneof(text, fc.constant('Kind: DATA_CHANGE\nDatabase: d\nReason: r\nSQL:\nUPDATE t SET a = 1\n\n[db-tickets draft x]')),
  status: zsStatus,
  accountSystemContext: shaped({ virtualIDUuid: fc.constantFrom('u1', 'u2') }),
  currentFlowUuid: fc.constantFrom('f1', 'f2'),
  createDate: time,
  lastOpDate: time,
}, ['uuid']);
const zsHistory = shaped({
  ticketUuid: fc.string({ maxLength: 8 }),
  fromStatus: fc.oneof(zsStatus, fc.constant(null)),
  toStatus: zsStatus,
  comment: fc.oneof(text, fc.constant(null)),
  operationContext: shaped({ requestResults: list(zsResult) }),
  operatorUuid: fc.constantFrom('u1', 'u2'),
  flowName: fc.constantFrom('approve', 'check'),
  createDate: time,
}, ['ticketUuid']);
const zsFlow = shaped({ uuid: fc.constantFrom('f1', 'f2'), name: fc.constantFrom('approve', 'check'), approverUuid: fc.constantFrom('u1', 'u2'), approverTitle: text }, ['uuid']);
const zsViewer: ZsViewer = { identity: { uuid: 'u1', name: 'Ann', kind: 'iam2' }, flows: new Map([['f1', { uuid: 'f1', name: 'approve', approverUuid: 'u1', collectionUuid: 'c' }]]) };

/** Runs the parsers: an exception must be a typed error; none of these parsers throws one today. */
function parse<T>(work: () => T): T | undefined {
  const outcome = throwsOnly(['failed', 'unavailable'], work);
  return outcome instanceof Error ? undefined : outcome;
}

// Parsers receive a response's JSON as the type they expect: the casts are what the client does with a response.
/* eslint-disable @typescript-eslint/no-explicit-any */
export const backendProperties: FuzzProperty[] = [
  {
    target: 'backends',
    name: 'DMS: an order, its approval detail and create response read into a ticket, steps and ids',
    runs: 1500,
    benchShare: 0.04,
    property: () =>
      fc.property(
        dmsOrder,
        dmsApproval,
        fc.record({ CreateOrderResult: fc.oneof(id, list(id), fc.record({ OrderIds: fc.oneof(id, list(id)) }), fc.jsonValue({ maxDepth: 3 })) }, { requiredKeys: [] }),
        fc.boolean(),
        bounded((order: unknown, detail: unknown, created: { CreateOrderResult?: unknown }, awaitingMe: boolean) => {
          const out = parse(() => {
            const summary = toSummary(order as any, { userId: '1' }, { awaitingMe, consoleUrl: 'https://dms.example/{id}', handlers: currentHandlers(detail as any) });
            const steps = dmsApprovalSteps(detail as any, new Map([...names, ...handlerNames(detail as any)]));
            return { summary, steps, events: dmsHistory(order as any, steps), ids: createdOrderIds(created), users: userIdsOf(detail as any), comment: splitComment((order as any).Comment) };
          });
          if (!out) return;
          checkSummary(out.summary, order);
          checkSteps(out.steps, detail);
          checkEvents(out.events, [order, detail]);
          for (const orderId of out.ids) assert.match(orderId, /^\d+$/);
          for (const user of out.users) assert.equal(typeof user, 'string');
          assert.equal(typeof out.comment.title, 'string');
        }),
      ),
  },
  {
    target: 'backends',
    name: 'DMS: precheck steps and status read into a precheck result',
    runs: 800,
    benchShare: 0.02,
    property: () =>
      fc.property(
        list(shaped({ CheckStep: text, CheckStatus: fc.constantFrom('FAIL', 'SUCCESS', 'WARN'), UserTip: text })),
        field(fc.constantFrom('PRE_CHECK_FAIL', 'new', 'precheck', 'success')),
        bounded((steps: unknown, status: unknown) => {
          const out = parse(() => ({ precheck: correctPrecheck(steps as any, status as any), state: precheckState(status as any) }));
          if (!out) return;
          for (const item of out.precheck?.items ?? []) assert.ok(typeof item.check === 'string' && typeof item.message === 'string');
          checkSize(out, [steps, status]);
        }),
      ),
  },
  {
    target: 'backends',
    name: 'Huawei OSM: a case row, its detail, messages and logs read into a ticket, comments and history',
    runs: 1500,
    benchShare: 0.03,
    property: () =>
      fc.property(
        osmRow,
        osmDetail,
        list(osmMessage),
        list(osmLog),
        bounded((row: unknown, detail: unknown, messages: unknown, logs: unknown) => {
          const out = parse(() => ({ summary: osmSummary(row as any), comments: commentsOf(messages as any), events: historyOf(logs as any, detail as any) }));
          if (!out) return;
          checkSummary(out.summary, row);
          for (const c of out.comments) assert.ok(typeof c.text === 'string' && typeof c.at === 'string' && typeof c.author.name === 'string');
          checkSize(out.comments, messages);
          checkEvents(out.events, [logs, detail]);
        }),
      ),
  },
  {
    target: 'backends',
    name: 'ZStack: a ticket, its flows and history read into a ticket, steps, events and execution',
    runs: 1500,
    benchShare: 0.03,
    property: () =>
      fc.property(
        zsTicket,
        list(zsFlow),
        list(zsHistory),
        list(zsResult),
        bounded((ticket: unknown, flows: unknown, history: unknown, results: unknown) => {
          const out = parse(() => ({
            summary: zsSummary(ticket as any, zsViewer, results as any, names),
            steps: zsApprovalSteps(ticket as any, flows as any, history as any, names),
            events: historyEvents(history as any, names),
            execution: executionOf(history as any),
          }));
          if (!out) return;
          checkSummary(out.summary, [ticket, results]);
          checkSteps(out.steps, [flows, history]);
          checkEvents(out.events, history);
          for (const statement of out.execution?.statements ?? []) assert.equal(typeof statement.message, 'string');
        }),
      ),
  },
  {
    target: 'backends',
    name: 'DMS: any JSON where a wrapped list or the created ids are expected reads as a list and as ids',
    runs: 1000,
    benchShare: 0.02,
    property: () =>
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        bounded((value: unknown) => {
          assert.ok(Array.isArray(listOf(value, 'Order')));
          for (const created of [{ CreateOrderResult: value }, { CreateOrderResult: { OrderIds: value } }]) {
            for (const orderId of createdOrderIds(created)) assert.match(orderId, /^\d+$/);
          }
        }),
      ),
  },
];
