import { Command } from 'commander';
import { localProfile } from '../backends/profiles';
import { DbTicketsError } from '../core/errors';
import { loadConfig } from './config';
import type { GlobalOptions } from './session';

interface McpOptions extends GlobalOptions {
  allowSubmit?: boolean;
}

/**
 * `db-tickets mcp`: the agent tools as a Model Context Protocol server on standard input and output. The protocol's
 * library is imported only here, when the server starts, so no other command loads it.
 */
export function mcpCommand(): Command {
  return new Command('mcp')
    .description('serve the agent tools (analyze SQL, prepare drafts, list, show and explain tickets) to an AI assistant over MCP on standard input/output')
    .option('--allow-submit', 'also offer submit_ticket_draft, which files tickets (without it the server never creates one)')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<McpOptions>();
      // A wrong configuration or profile is said at once, before a client connects, rather than at every call.
      const { config, path } = await loadConfig(options.config);
      const profile = options.profile ?? localProfile.name;
      if (!config.profiles.some((p) => p.name === profile)) {
        throw new DbTicketsError('config', `Profile "${profile}" is not configured${path ? ` in ${path}` : ''}: use one of ${config.profiles.map((p) => p.name).join(', ')}, or add it to the configuration file.`);
      }
      const { serveMcp } = await import('./mcpServer');
      await serveMcp({ ...options, profile }, { allowSubmit: options.allowSubmit === true });
    });
}
