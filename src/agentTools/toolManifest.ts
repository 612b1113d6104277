import * as z from '../core/zod';
import type { AgentTool } from './agentTool';
import { offeredTools, vscodeToolName } from './agentTools';

/** The `contributes.languageModelTools` of package.json, and the English texts of its %keys% for package.nls.json. */
export function languageModelToolsManifest(): { tools: object[]; nls: Record<string, string> } {
  // VS Code offers no tool that files a ticket: there, a person submits the draft from its editor.
  const tools = offeredTools({ allowSubmit: false });
  const nls: Record<string, string> = {};
  const manifest = tools.map((tool) => {
    nls[nlsKey(tool, 'displayName')] = tool.title;
    nls[nlsKey(tool, 'userDescription')] = tool.summary;
    const { $schema: _, ...inputSchema } = z.toJSONSchema(tool.input, { io: 'input' });
    return {
      name: vscodeToolName(tool),
      displayName: `%${nlsKey(tool, 'displayName')}%`,
      toolReferenceName: referenceName(tool),
      canBeReferencedInPrompt: true,
      icon: '$(database)',
      userDescription: `%${nlsKey(tool, 'userDescription')}%`,
      modelDescription: tool.description,
      tags: ['dbTickets', 'database', tool.name.includes('sql') ? 'sql' : 'tickets'],
      inputSchema,
    };
  });
  return { tools: manifest, nls };
}

function nlsKey(tool: AgentTool, field: string): string {
  return `languageModelTools.${tool.name}.${field}`;
}

/** How a prompt names the tool (`#dbTicketsAnalyzeSql`). */
function referenceName(tool: AgentTool): string {
  return `dbTickets${tool.name.replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase())}`;
}
