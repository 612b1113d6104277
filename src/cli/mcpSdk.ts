// What the MCP server uses of the Model Context Protocol SDK. The SDK is built on the full zod, so it is bundled on its
// own (dist/mcp-sdk.mjs, scripts/bundles.mjs): in the shared chunks it would add that zod to every command's start.
export { Server } from '@modelcontextprotocol/sdk/server/index.js';
export { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
export { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
export type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
