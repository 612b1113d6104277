import type { AgentTool } from './agentTool';
import { analyzeSqlTool, prepareTicketDraftTool } from './sqlTools';
import { explainTicketStatusTool, listTicketsTool, showTicketTool, submitTicketDraftTool } from './ticketTools';

/** Every agent tool, in the order they are offered. */
export const agentTools: readonly AgentTool[] = [analyzeSqlTool, prepareTicketDraftTool, listTicketsTool, showTicketTool, explainTicketStatusTool, submitTicketDraftTool];

/** The tools a front end offers: the one that files tickets only where its configuration allows it explicitly. */
export function offeredTools({ allowSubmit }: { allowSubmit: boolean }): AgentTool[] {
  return agentTools.filter((tool) => allowSubmit || !tool.submits);
}

/** A tool's name in VS Code, where the names of every extension's tools share one space. */
export function vscodeToolName(tool: Pick<AgentTool, 'name'>): string {
  return `dbTickets_${tool.name}`;
}
