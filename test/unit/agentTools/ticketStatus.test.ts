import * as assert from 'node:assert/strict';
import { explainStatus, explanationText } from '../../../src/agentTools/ticketStatus';
import type { TicketDetail } from '../../../src/core/backend/backend';

function ticket(overrides: Partial<TicketDetail>): TicketDetail {
  return {
    id: '7',
    title: 'Export customers',
    kind: 'DATA_EXPORT',
    status: { state: 'pending_approval', native: 'pending_approval' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    needsYou: false,
    actions: [],
    sql: 'SELECT 1',
    stakeholders: [],
    approvals: [],
    comments: [],
    attachments: [],
    history: [],
    ...overrides,
  };
}

describe('explainStatus', () => {
  it('a pending ticket waits for the approvers of its current step, or for you when the service says so', () => {
    const waiting = explainStatus(
      ticket({ actions: ['cancel', 'comment'], approvals: [{ name: 'DBA review', state: 'current', approvers: [{ id: 'b', name: 'bob' }] }] }),
    );
    assert.equal(waiting.nextActor, 'approver');
    assert.equal(waiting.summary, 'The ticket waits for approval at the step "DBA review".');
    assert.equal(waiting.nextStep, 'An approver (bob) approves or rejects it; you may still cancel it.');
    assert.deepEqual(waiting.yourActions, ['cancel'], 'comments are no step of the workflow');
    const mine = explainStatus(ticket({ needsYou: true, actions: ['approve', 'reject'] }));
    assert.deepEqual([mine.nextActor, mine.nextStep], ['you', 'You approve or reject it.']);
  });

  it('an approved ticket waits for whoever may execute it', () => {
    assert.equal(explainStatus(ticket({ status: { state: 'approved', native: 'approved' }, actions: ['execute'] })).nextActor, 'you');
    const other = explainStatus(ticket({ status: { state: 'approved', native: 'approved' }, actions: ['comment'] }));
    assert.equal(other.nextActor, 'executor');
  });

  it('a failed precheck names its findings, and the submitter fixes the SQL', () => {
    const failed = explainStatus(
      ticket({
        status: { state: 'failed', native: 'precheck_failed' },
        precheck: { passed: false, items: [{ check: 'syntax', status: 'failed', message: 'line 1 of the ticket\'s SQL: no such table: custmers' }] },
      }),
    );
    assert.equal(failed.summary, "Its precheck failed: syntax: line 1 of the ticket's SQL: no such table: custmers");
    assert.equal(failed.nextActor, 'submitter');
  });

  it('a rejection says who rejected it and why', () => {
    const rejected = explainStatus(
      ticket({ status: { state: 'rejected', native: 'rejected' }, approvals: [{ name: 'Approval', state: 'rejected', approvers: [], actedBy: { id: 'b', name: 'bob' }, comment: 'too broad' }] }),
    );
    assert.equal(rejected.summary, 'The ticket was rejected by bob: "too broad".');
  });

  it('a finished export with a result waits for its download; without one nothing is left to do', () => {
    const succeeded = { state: 'succeeded', native: 'succeeded' } as const;
    assert.equal(explainStatus(ticket({ status: succeeded, execution: { hasResult: true } })).nextActor, 'you');
    assert.equal(explainStatus(ticket({ status: succeeded, execution: { hasResult: false } })).nextActor, 'nobody');
  });

  it('a status the backend does not know is shown as the service says it, and the service is asked', () => {
    const unknown = explainStatus(ticket({ status: { state: 'unknown', native: 'AUDITING' } }));
    assert.deepEqual([unknown.label, unknown.nextActor], ['unknown (AUDITING)', 'service']);
    assert.match(explanationText(ticket({}), unknown), /^#7 Export customers — unknown \(AUDITING\)\.\n.*"AUDITING".*\nNext to act: service\./);
  });
});
