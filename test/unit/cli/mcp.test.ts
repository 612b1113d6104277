import * as assert from 'node:assert/strict';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli } from '../../support/runCli';

const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

/** Every client a test connected: closed after each test, so a failing test leaves no server running. */
const connected: Client[] = [];

/** An MCP client of the built `db-tickets mcp`, as an assistant's host runs it, with what the server wrote to stderr. */
async function connect(env: NodeJS.ProcessEnv, args: string[] = []) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', ...args], env: { ...(process.env as Record<string, string>), ...(env as Record<string, string>) }, cwd: env.HOME, stderr: 'pipe' });
  let stderr = '';
  transport.stderr!.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'db-tickets-test', version: '1.0.0' });
  // A line on stdout that is not the protocol's is reported here.
  const protocolErrors: Error[] = [];
  client.onerror = (error) => protocolErrors.push(error);
  connected.push(client);
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return { client, call, stderr: () => stderr, protocolErrors };
}

function text(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

const readTools = ['analyze_sql', 'prepare_ticket_draft', 'list_tickets', 'show_ticket', 'explain_ticket_status'];

describe('db-tickets mcp', function () {
  this.timeout(120_000);
  afterEach(async () => {
    await Promise.all(connected.splice(0).map((client) => client.close()));
  });

  it('lists the tools with their descriptions and input schemas; the submit tool only with --allow-submit', async () => {
    const env = cliSandbox();
    const plain = await connect(env);
    const { tools } = await plain.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name), readTools);
    for (const tool of tools) {
      assert.ok(tool.description && tool.description.length > 100, `${tool.name} is described`);
      assert.equal(tool.inputSchema.type, 'object');
      for (const [name, property] of Object.entries(tool.inputSchema.properties ?? {})) assert.ok((property as { description?: string }).description, `${tool.name}.${name} is described`);
      assert.equal(tool.annotations?.readOnlyHint, true);
    }
    assert.deepEqual(tools.find((tool) => tool.name === 'prepare_ticket_draft')!.inputSchema.required, ['sql', 'kind', 'database']);
    await plain.client.close();

    const allowing = await connect(env, ['--allow-submit']);
    const submit = (await allowing.client.listTools()).tools.find((tool) => tool.name === 'submit_ticket_draft');
    assert.ok(submit, 'offered with --allow-submit');
    assert.equal(submit.annotations?.readOnlyHint, false);
    await allowing.client.close();
  });

  it('analyze_sql reports findings with their lines, severities and rule ids, and the statement kinds', async () => {
    const { client, call } = await connect(cliSandbox());
    const result = await call('analyze_sql', { sql: 'SELECT 1;\nDELETE FROM orders;\n', dialect: 'mysql' });
    assert.equal(result.isError, undefined);
    const data = result.structuredContent as { ticketKind: string | null; statements: Array<{ startLine: number; kind: string; findings: Array<{ rule: string; severity: string }> }> };
    assert.equal(data.ticketKind, null);
    assert.deepEqual(data.statements.map((s) => [s.startLine, s.kind]), [[1, 'query'], [2, 'dml']]);
    assert.deepEqual(data.statements[1].findings.map((f) => [f.rule, f.severity]), [['delete-without-where', 'error']]);
    assert.match(text(result), /2\. line 2: dml\n\s+error \[delete-without-where\] DELETE without WHERE/);
    await client.close();
  });

  it('prepares a draft, submits it with --allow-submit, and shows it with list, show and explain', async () => {
    const env = cliSandbox();
    const { client, call, stderr, protocolErrors } = await connect(env, ['--allow-submit']);
    const prepared = await call('prepare_ticket_draft', { sql: 'SELECT id, email FROM customers ORDER BY id LIMIT 3;\n', kind: 'DATA_EXPORT', database: 'demo', reason: 'weekly report' });
    assert.equal(prepared.isError, undefined, text(prepared));
    const draft = prepared.structuredContent as { draft: string; ready: boolean; submitted: boolean; problems: unknown[] };
    assert.deepEqual([draft.ready, draft.submitted, draft.problems], [true, false, []]);
    assert.match(draft.draft, /^-- Kind: DATA_EXPORT .*\n-- Profile: local\n-- Database: demo\n-- Title: .+\n-- Reason: weekly report\n/);
    assert.match(draft.draft, /^-- Draft id: \S+$/m);
    assert.match(text(prepared), /Nothing was submitted/);
    assert.equal(JSON.parse((await runCli(env, ['--json', 'list'])).stdout).items.length, 0, 'preparing files nothing');

    const submitted = await call('submit_ticket_draft', { draft: draft.draft });
    assert.equal(submitted.isError, undefined, text(submitted));
    const ticket = (submitted.structuredContent as { ticket: { id: string; state: string } }).ticket;
    assert.equal(ticket.state, 'pending_approval');
    const again = await call('submit_ticket_draft', { draft: draft.draft });
    assert.equal((again.structuredContent as { ticket: { id: string } }).ticket.id, ticket.id, 'the same draft finds the same ticket');

    const listed = await call('list_tickets', { state: 'pending_approval', limit: 5 });
    assert.deepEqual((listed.structuredContent as { tickets: Array<{ id: string }> }).tickets.map((t) => t.id), [ticket.id]);
    assert.match(text(listed), new RegExp(`#${ticket.id}\\s+pending approval\\s+DATA_EXPORT\\s+demo`));
    assert.deepEqual((await call('list_tickets', { state: 'succeeded' })).structuredContent?.tickets, []);

    const shown = await call('show_ticket', { id: `#${ticket.id}` });
    const detail = (shown.structuredContent as { ticket: { sql: string; reason: string; events: Array<{ actor: string; action: string }> } }).ticket;
    assert.equal(detail.reason, 'weekly report');
    assert.match(detail.sql, /FROM customers/);
    assert.equal(detail.events[0].actor, 'alice');
    assert.match(detail.events[0].action, /submitted/);
    assert.match(text(shown), /History:/);

    const pending = await call('explain_ticket_status', { id: ticket.id });
    assert.deepEqual((pending.structuredContent as { state: string; nextActor: string }).state, 'pending_approval');
    assert.equal((pending.structuredContent as { nextActor: string }).nextActor, 'approver');
    assert.match(text(pending), /waits for approval/);

    const approved = await runCli({ ...env, DB_TICKETS_USER: 'bob' }, ['approve', ticket.id]);
    assert.equal(approved.code, 0, approved.stderr);
    const ready = (await call('explain_ticket_status', { id: ticket.id })).structuredContent as { state: string; nextActor: string; nextStep: string; yourActions: string[] };
    assert.deepEqual([ready.state, ready.nextActor], ['approved', 'you']);
    assert.match(ready.nextStep, /execute/i);
    assert.ok(ready.yourActions.includes('execute'));
    await client.close();
    assert.deepEqual(protocolErrors, []);
    assert.doesNotMatch(stderr(), /error/i);
  });

  it('prepares a draft that cannot be submitted yet with its problems at the draft\'s lines', async () => {
    const { client, call } = await connect(cliSandbox());
    const prepared = await call('prepare_ticket_draft', { sql: 'SELECT id FROM customers LIMIT 3;\nDELETE FROM orders;\n', kind: 'DATA_EXPORT', database: 'demo' });
    assert.equal(prepared.isError, undefined, text(prepared));
    const data = prepared.structuredContent as { ready: boolean; draft: string; problems: Array<{ line?: number; message: string }> };
    assert.equal(data.ready, false);
    const lines = data.draft.split('\n');
    const reason = data.problems.find((p) => /Reason is empty/.test(p.message));
    assert.ok(reason && lines[reason.line! - 1].startsWith('-- Reason:'), 'the missing reason is at its header line');
    const deletion = data.problems.find((p) => /DELETE/.test(p.message));
    assert.ok(deletion && lines[deletion.line! - 1] === 'DELETE FROM orders;', 'the statement that breaks the kind is at its line');
    assert.match(text(prepared), /^The draft is not ready to submit: fix \d problem\(s\) first\./);
    await client.close();
  });

  it('refuses to submit without --allow-submit, naming the flag, and files nothing', async () => {
    const env = cliSandbox();
    const { client, call } = await connect(env);
    const draft = (await call('prepare_ticket_draft', { sql: 'SELECT id FROM customers LIMIT 3', kind: 'DATA_EXPORT', database: 'demo', reason: 'r' })).structuredContent as { draft: string };
    const refused = await call('submit_ticket_draft', { draft: draft.draft });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /submit_ticket_draft is turned off: .*--allow-submit/);
    assert.equal(JSON.parse((await runCli(env, ['--json', 'list'])).stdout).items.length, 0);
    await client.close();
  });

  it('answers bad arguments, unknown tickets, profiles and tools with error results that say what to fix', async () => {
    const { client, call } = await connect(cliSandbox(), ['--allow-submit']);
    const missing = await call('prepare_ticket_draft', { sql: 'SELECT 1', kind: 'EXPORT' });
    assert.equal(missing.isError, true);
    assert.match(text(missing), /^Invalid arguments for prepare_ticket_draft: kind: .*DATA_EXPORT.*; database: name the database the SQL runs on\.$/);
    const unknownArgument = await call('list_tickets', { states: ['approved'] });
    assert.match(text(unknownArgument), /Unrecognized key: "states" \(list_tickets takes profile, state, limit\)/);
    const limit = await call('list_tickets', { limit: 500 });
    assert.match(text(limit), /limit: limit takes 1 to 100/);
    assert.match(text(await call('list_tickets', { limit: 'ten' })), /limit: Invalid input: expected number, received string/);
    const unknownTicket = await call('show_ticket', { id: '42' });
    assert.equal(unknownTicket.isError, true);
    assert.match(text(unknownTicket), /Ticket #42 does not exist/);
    const unknownProfile = await call('explain_ticket_status', { id: '1', profile: 'prod' });
    assert.match(text(unknownProfile), /Profile "prod" is not configured: use one of local/);
    const badDraft = await call('submit_ticket_draft', { draft: '-- Kind: DATA_EXPORT\n-- Database: demo\n-- Title: t\n-- Reason: r\n-- Draft id: x\n\nDELETE FROM orders;\n' });
    assert.equal(badDraft.isError, true);
    assert.match(text(badDraft), /The draft was not submitted:\nline 7: /);
    const noSuchTool = await call('drop_database', {});
    assert.match(text(noSuchTool), /There is no tool "drop_database": the tools are analyze_sql, .*submit_ticket_draft\./);
    await client.close();
  });

  it('keeps stdout for the protocol: store warnings and debug lines go to stderr', async () => {
    const env: NodeJS.ProcessEnv = { ...cliSandbox(), DB_TICKETS_DEBUG: '1' };
    const store = join(env.XDG_DATA_HOME!, 'db-tickets');
    mkdirSync(store, { recursive: true });
    appendFileSync(join(store, 'tickets.jsonl'), 'this line is not an event\n');
    const { client, call, stderr, protocolErrors } = await connect(env);
    const listed = await call('list_tickets', {});
    assert.equal(listed.isError, undefined, text(listed));
    await client.close();
    assert.deepEqual(protocolErrors, []);
    assert.match(stderr(), /db-tickets: warning: .*tickets\.jsonl:1/);
  });

  it('answers the calls sent before its input ends, then exits 0 by itself, writing nothing but the protocol on stdout', async () => {
    const requests = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'list_tickets', arguments: {} } },
    ];
    const run = await runCli(cliSandbox(), ['mcp'], requests.map((request) => `${JSON.stringify(request)}\n`).join(''));
    assert.equal(run.code, 0, run.stderr);
    const answers = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number; result: { structuredContent?: { tickets: unknown[] } } });
    assert.deepEqual(answers.map((answer) => answer.id), [1, 2]);
    assert.deepEqual(answers[1].result.structuredContent?.tickets, []);
  });

  it('refuses to start on a profile that is not configured, exit 2, with nothing on stdout', async () => {
    const run = await runCli(cliSandbox(), ['--profile', 'prod', 'mcp']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /Profile "prod" is not configured: use one of local/);
  });
});
