import * as vscode from 'vscode';
import { type AgentTool, type AgentToolHost, parseToolInput } from '../../agentTools/agentTool';
import { offeredTools, vscodeToolName } from '../../agentTools/agentTools';
import { TicketKind } from '../../core/model/ticketKind';
import { kindLabels } from '../create/createFlow';
import { defaultProfile } from '../create/createTicket';
import type { RememberedAnswers } from '../create/rememberedAnswers';
import type { Drafts } from '../drafts/drafts';
import type { Backends } from '../profiles/backends';
import { log } from '../shared/log';

/**
 * The agent tools for VS Code's language models (Copilot's agent mode and any extension's chat), on the extension's
 * own profiles and backends. None files a ticket: prepare_ticket_draft opens the draft in an editor, where the user
 * submits it. Each answers with its text and, as a second part, the same facts as JSON.
 */
export function registerLanguageModelTools(backends: Backends, drafts: Drafts, remembered: RememberedAnswers): vscode.Disposable[] {
  // Older hosts (and editors built on VS Code without language models) have no tools API.
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('language model tools: this editor has no vscode.lm.registerTool; the agent tools are not offered');
    return [];
  }
  const host: AgentToolHost = {
    profileNames: async () => backends.profiles().map((profile) => profile.name),
    defaultProfile: async () => defaultProfile(backends.profiles(), remembered).name,
    withBackend: async (profile, use) => use(await backends.get(backends.profile(profile))),
    openDraft: async (text, title) => {
      await drafts.create(text, title);
    },
  };
  return offeredTools({ allowSubmit: false }).map((tool) =>
    vscode.lm.registerTool<Record<string, unknown>>(vscodeToolName(tool), {
      prepareInvocation: ({ input }) => ({
        invocationMessage: invocationMessage(tool, input),
        // The one tool that does something the user sees (an editor opens) asks first, saying what it will hold.
        ...(tool.name === 'prepare_ticket_draft' ? { confirmationMessages: draftConfirmation(input) } : {}),
      }),
      invoke: async ({ input }, token) => {
        const controller = new AbortController();
        const cancelled = token.onCancellationRequested(() => controller.abort());
        try {
          const result = await tool.run(parseToolInput(tool, input), host, controller.signal);
          log.info(`language model tool ${tool.name} answered`);
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(result.text), new vscode.LanguageModelTextPart(JSON.stringify(result.data))]);
        } catch (error) {
          log.warn(`language model tool ${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`);
          // The message is written for whoever reads it, a model included: what went wrong and what to do.
          throw error;
        } finally {
          cancelled.dispose();
        }
      },
    }),
  );
}

/** What the chat shows while a tool runs. */
function invocationMessage(tool: AgentTool, input: Record<string, unknown>): string {
  const id = typeof input.id === 'string' ? input.id.replace(/^#/, '') : '';
  switch (tool.name) {
    case 'analyze_sql':
      return vscode.l10n.t('Analyzing SQL');
    case 'prepare_ticket_draft':
      return vscode.l10n.t('Preparing a ticket draft for you to review');
    case 'list_tickets':
      return vscode.l10n.t('Listing tickets');
    case 'show_ticket':
      return vscode.l10n.t('Reading ticket #{0}', id);
    case 'explain_ticket_status':
      return vscode.l10n.t('Explaining the status of ticket #{0}', id);
    default:
      return tool.title;
  }
}

/** The lines of SQL the confirmation quotes; the draft itself has all of it. */
const quotedLines = 30;

/** What a person reads before prepare_ticket_draft opens a draft: its kind, database, profile and SQL. */
export function draftConfirmation(input: Record<string, unknown>): vscode.LanguageModelToolConfirmationMessages {
  const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : '');
  const kind = TicketKind.safeParse(input.kind);
  const message = new vscode.MarkdownString();
  message.appendMarkdown(
    vscode.l10n.t(
      'Open a draft of a {0} ticket on database **{1}** (profile **{2}**) in an editor, for you to review and submit. Nothing is submitted now.',
      markdownText(kind.success ? vscode.l10n.t(kindLabels[kind.data]).toLowerCase() : text('kind')),
      markdownText(text('database')),
      markdownText(text('profile') || vscode.l10n.t('the default profile')),
    ),
  );
  const lines = text('sql').trimEnd().split('\n');
  message.appendCodeblock(lines.slice(0, quotedLines).join('\n') + (lines.length > quotedLines ? `\n-- ${vscode.l10n.t('… {0} more lines', lines.length - quotedLines)}` : ''), 'sql');
  return { title: vscode.l10n.t('Open a ticket draft?'), message };
}

/** A value written into Markdown as the text it is. */
function markdownText(value: string): string {
  return value.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
