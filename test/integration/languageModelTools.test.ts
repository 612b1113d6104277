import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { draftConfirmation } from '../../src/vscode/agents/languageModelTools';
import { draftScheme } from '../../src/vscode/drafts/draftFiles';
import { useTicketsFixture } from './fixture';
import { until } from './stubs';

const ours = ['dbTickets_analyze_sql', 'dbTickets_prepare_ticket_draft', 'dbTickets_list_tickets', 'dbTickets_show_ticket', 'dbTickets_explain_ticket_status'];

/**
 * Runs one of our tools as a chat would, without a chat request: `toolInvocationToken` undefined is what an extension
 * passes when it calls a tool outside a chat participant's request.
 */
async function invoke(name: string, input: object): Promise<{ text: string; data: Record<string, unknown> }> {
  const result = await vscode.lm.invokeTool(`dbTickets_${name}`, { input, toolInvocationToken: undefined });
  const [text, json] = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : ''));
  return { text, data: JSON.parse(json) };
}

describe('language model tools', function () {
  this.timeout(120_000);
  const fixture = useTicketsFixture();

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('are registered with their descriptions and input schemas; none of them submits', async () => {
    await until(() => ours.every((name) => vscode.lm.tools.some((tool) => tool.name === name)), 'our tools are registered');
    const tools = vscode.lm.tools.filter((tool) => tool.name.startsWith('dbTickets_'));
    assert.deepEqual(tools.map((tool) => tool.name).sort(), [...ours].sort());
    const prepare = tools.find((tool) => tool.name === 'dbTickets_prepare_ticket_draft')!;
    assert.match(prepare.description, /never submits anything/);
    assert.deepEqual((prepare.inputSchema as { required: string[] }).required, ['sql', 'kind', 'database']);
    assert.ok(prepare.tags.includes('dbTickets'));
  });

  it('analyze_sql finds the risks of bad SQL at their lines', async () => {
    const { text, data } = await invoke('analyze_sql', { sql: 'SELECT 1;\nUPDATE customers SET email = NULL;\n' });
    assert.match(text, /2\. line 2: dml\n\s+error \[update-without-where\]/);
    const statements = data.statements as Array<{ startLine: number; findings: Array<{ rule: string; severity: string }> }>;
    assert.deepEqual(statements[1].findings.map((f) => [f.rule, f.severity]), [['update-without-where', 'error']]);
  });

  it('list_tickets, show_ticket and explain_ticket_status read the Local backend\'s tickets', async () => {
    const { submitExport, backend } = fixture();
    const ticket = await submitExport('Customer emails');

    const listed = await invoke('list_tickets', { state: 'pending_approval' });
    assert.deepEqual((listed.data.tickets as Array<{ id: string }>).map((t) => t.id), [ticket.id]);
    assert.match(listed.text, /Customer emails/);

    const shown = await invoke('show_ticket', { id: ticket.id, profile: 'local' });
    const detail = shown.data.ticket as { sql: string; events: Array<{ actor: string; action: string }> };
    assert.match(detail.sql, /FROM customers/);
    assert.equal(detail.events[0].actor, 'alice');

    const pending = await invoke('explain_ticket_status', { id: `#${ticket.id}` });
    assert.deepEqual([pending.data.state, pending.data.nextActor], ['pending_approval', 'approver']);
    await backend.act(ticket.id, { action: 'approve' });
    const approved = await invoke('explain_ticket_status', { id: ticket.id });
    assert.deepEqual([approved.data.state, approved.data.nextActor], ['approved', 'you']);
    assert.match(approved.text, /You execute it/);
  });

  it('prepare_ticket_draft opens the draft in an editor with the SQL, and submits nothing', async () => {
    const { backend } = fixture();
    const before = (await backend.list({}, { size: 100 })).items.length;
    const sql = 'SELECT id, total FROM orders ORDER BY id LIMIT 10;\n';
    const { text, data } = await invoke('prepare_ticket_draft', { sql, kind: 'DATA_EXPORT', database: 'demo', reason: 'monthly totals', title: 'Order totals' });
    assert.match(text, /The draft is open in an editor/);
    assert.equal(data.ready, true);
    await until(() => vscode.window.activeTextEditor?.document.uri.scheme === draftScheme, 'the draft editor opens');
    const document = vscode.window.activeTextEditor!.document;
    assert.match(document.getText(), /^-- Kind: DATA_EXPORT .*\n-- Profile: local\n-- Database: demo\n-- Title: Order totals\n-- Reason: monthly totals\n/);
    assert.ok(document.getText().endsWith(sql));
    assert.doesNotMatch(document.getText(), /Draft id/, 'the editor keeps the id in its URI');
    assert.equal((await backend.list({}, { size: 100 })).items.length, before);
  });

  it('prepare_ticket_draft asks first, showing the kind, database, profile and SQL it will open', () => {
    const sql = Array.from({ length: 40 }, (_, i) => `SELECT ${i + 1};`).join('\n');
    const { title, message } = draftConfirmation({ sql, kind: 'SCHEMA_CHANGE', database: 'demo' });
    assert.equal(title, 'Open a ticket draft?');
    const text = typeof message === 'string' ? message : message.value;
    assert.match(text, /^Open a draft of a schema change ticket on database \*\*demo\*\* \(profile \*\*the default profile\*\*\) in an editor, for you to review and submit\. Nothing is submitted now\./);
    assert.match(text, /```sql\nSELECT 1;\n[^]*SELECT 30;\n-- … 10 more lines\n```/);
    assert.doesNotMatch(text, /SELECT 31;/);
    // Names are shown as the text they are, whatever Markdown they hold.
    const hostile = (draftConfirmation({ sql: 'SELECT 1', kind: 'DATA_EXPORT', database: 'shop_*1*', profile: '[prod](command:x)' }).message as vscode.MarkdownString).value;
    assert.match(hostile, /data export ticket on database \*\*shop\\_\\\*1\\\*\*\* \(profile \*\*\\\[prod\\\]\\\(command:x\\\)\*\*\)/);
  });

  it('refuses bad arguments and unknown tickets with messages that say what to fix', async () => {
    await assert.rejects(invoke('prepare_ticket_draft', { sql: 'SELECT 1', kind: 'EXPORT', database: 'demo' }), /Invalid arguments for prepare_ticket_draft: kind: /);
    await assert.rejects(invoke('show_ticket', { id: '999' }), /Ticket #999 does not exist/);
    await assert.rejects(invoke('list_tickets', { profile: 'prod' }), /Profile "prod" is not configured: use one of local/);
  });
});
