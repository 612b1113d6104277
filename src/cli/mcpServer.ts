import { version } from '../../package.json';
import { type AgentTool, type AgentToolHost, parseToolInput } from '../agentTools/agentTool';
import { agentTools, offeredTools } from '../agentTools/agentTools';
import * as z from '../core/zod';
import { loadConfig } from './config';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema, Server, StdioServerTransport, type Tool } from './mcpSdk';
import { type GlobalOptions, withBackend } from './session';

/** What the server tells the client's model about itself. */
function instructions(allowSubmit: boolean): string {
  return (
    'DB Tickets files database change tickets (data export, schema change, data change) with a ticket service and tracks them. ' +
    `Check SQL with analyze_sql, prepare a ticket with prepare_ticket_draft (${allowSubmit ? 'submit_ticket_draft files it when the user asks' : 'a draft for a person to review and submit'}), ` +
    'and follow tickets with list_tickets, show_ticket and explain_ticket_status.'
  );
}

/** Serves the agent tools over MCP on stdio until the client goes away. Standard output carries the protocol alone. */
export async function serveMcp(options: GlobalOptions & { profile: string }, { allowSubmit }: { allowSubmit: boolean }): Promise<void> {
  // Whatever logs through the console writes to stderr, where it cannot break the protocol.
  console.log = console.info = console.debug = console.error;
  const tools = offeredTools({ allowSubmit });
  const host = cliToolHost(options);
  const server = new Server({ name: 'db-tickets', title: 'DB Tickets', version }, { capabilities: { tools: {} }, instructions: instructions(allowSubmit) });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools.map(describeTool) }));
  const running = new Set<Promise<CallToolResult>>();
  server.setRequestHandler(CallToolRequestSchema, ({ params }, { signal }) => {
    const call = callTool(tools, host, params.name, params.arguments, signal);
    running.add(call);
    void call.finally(() => running.delete(call));
    return call;
  });
  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(new StdioServerTransport());
  // The client closing our standard input ends the session, once the calls it sent before are answered.
  process.stdin.once('end', async () => {
    await Promise.allSettled(running);
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();
  });
  await closed;
}

async function callTool(tools: readonly AgentTool[], host: AgentToolHost, name: string, args: unknown, signal: AbortSignal): Promise<CallToolResult> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) return toolError(refusal(name, tools));
  try {
    const result = await tool.run(parseToolInput(tool, args), host, signal);
    return { content: [{ type: 'text', text: result.text }], structuredContent: result.data };
  } catch (error) {
    return toolError(error instanceof Error ? error.message : String(error));
  }
}

/** How the CLI finds profiles and opens their backends for the tools: its configuration, one backend per call. */
function cliToolHost(options: GlobalOptions & { profile: string }): AgentToolHost {
  return {
    profileNames: async () => (await loadConfig(options.config)).config.profiles.map((profile) => profile.name),
    defaultProfile: async () => options.profile,
    withBackend: (profile, use) => withBackend({ ...options, profile }, (backend) => use(backend)),
  };
}

function describeTool(tool: AgentTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: z.toJSONSchema(tool.input, { io: 'input' }) as Tool['inputSchema'],
    annotations: { title: tool.title, readOnlyHint: tool.readOnly, destructiveHint: false, idempotentHint: tool.readOnly || tool.submits === true, openWorldHint: true },
  };
}

/** Why a tool cannot be called: the submit tool turned off (naming the flag), or no such tool (naming those there are). */
function refusal(name: string, tools: readonly AgentTool[]): string {
  if (agentTools.some((tool) => tool.name === name && tool.submits)) {
    return `${name} is turned off: this server files no tickets unless it is started with --allow-submit (db-tickets mcp --allow-submit). Prepare the draft with prepare_ticket_draft and let a person submit it.`;
  }
  return `There is no tool "${name}": the tools are ${tools.map((tool) => tool.name).join(', ')}.`;
}

function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
