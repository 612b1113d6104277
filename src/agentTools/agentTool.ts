import type { Backend } from '../core/backend/backend';
import { DbTicketsError } from '../core/errors';
import type * as z from '../core/zod';

/**
 * What a front end gives the agent tools: its profiles and their backends. The CLI's MCP server opens a backend per
 * call from its configuration; VS Code hands out the extension's own.
 */
export interface AgentToolHost {
  /** The configured profiles' names. */
  profileNames(): Promise<string[]>;
  /** The profile a call that names none uses. */
  defaultProfile(): Promise<string>;
  /** Runs `use` with the backend of the named profile; an unknown name is a clear error. */
  withBackend<T>(profile: string, use: (backend: Backend) => Promise<T>): Promise<T>;
  /**
   * Shows a prepared draft to the user (VS Code: a draft editor, where the user submits it). Without it the draft is
   * returned as text with a `-- Draft id:` line, to keep as a file and submit later.
   */
  openDraft?(text: string, title: string): Promise<void>;
}

/** A tool's answer: a few lines for a model or a person to read, and the same facts as JSON. */
export interface AgentToolResult {
  text: string;
  data: Record<string, unknown>;
}

export interface AgentTool<Input = unknown> {
  /** The name a model calls it by (snake_case, as MCP clients and VS Code expect). */
  name: string;
  /** A short human title. */
  title: string;
  /** One sentence for a person choosing tools (VS Code's tool picker). */
  summary: string;
  /** For the model: what it does, when to use it, what it returns, its limits. */
  description: string;
  /** The arguments, each described for the model. */
  input: z.ZodMiniType<Input>;
  /** Reads only: changes nothing on any service. */
  readOnly: boolean;
  /** Files a ticket: offered only where the host's configuration allows it. */
  submits?: boolean;
  run(input: Input, host: AgentToolHost, signal?: AbortSignal): Promise<AgentToolResult>;
}

/** Keeps each tool's input type with its schema in a list of tools of different inputs. */
export function defineTool<Input>(tool: AgentTool<Input>): AgentTool {
  return tool as unknown as AgentTool;
}

/** A call's arguments, checked against the tool's schema; a usage error naming each bad argument and what it takes. */
export function parseToolInput<Input>(tool: AgentTool<Input>, args: unknown): Input {
  const parsed = tool.input.safeParse(args ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the arguments';
    return issue.code === 'unrecognized_keys' ? `${where}: ${issue.message} (${tool.name} takes ${argumentNames(tool).join(', ')})` : `${where}: ${issue.message}`;
  });
  throw new DbTicketsError('usage', `Invalid arguments for ${tool.name}: ${problems.join('; ')}.`);
}

function argumentNames(tool: AgentTool): string[] {
  const shape = (tool.input as unknown as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape;
  return Object.keys(shape ?? {});
}

/** The profile a call names, checked against the configured ones, else the host's default. */
export async function chosenProfile(host: AgentToolHost, named: string | undefined): Promise<string> {
  if (named === undefined) return host.defaultProfile();
  const names = await host.profileNames();
  if (!names.includes(named)) throw new DbTicketsError('usage', `Profile "${named}" is not configured: use one of ${names.join(', ')}.`);
  return named;
}
