import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { ActionRequest, Backend, ListScope, TicketAttachment } from '../core/backend/backend';
import { parseTicketId as ticketId } from '../core/backend/ticketIds';
import { DbTicketsError } from '../core/errors';
import { TicketState, isFinalState, statusLabel } from '../core/model/ticketStatus';
import { formatDetail, formatList, formatSummary } from '../core/backend/ticketText';
import { requireOperation } from '../core/backend/optionalOperations';
import { ticketHeadline } from '../core/backend/ticketHeadline';
import { safeFileName } from '../core/backend/attachmentFiles';
import { localProfile } from '../backends/profiles';
import { withProgress } from './progress';
import { type GlobalOptions, print, withBackend } from './session';

/** The ticket commands: every one works on any configured profile through the Backend interface. */
export function ticketCommands(): Command[] {
  return [list(), show(), ...(['approve', 'reject', 'cancel', 'reopen', 'close', 'urge'] as const).map(simpleAction), transfer(), comment(), deleteTicket(), execute(), download(), watch(), check(), ...optionalCommands()];
}

/**
 * Commands for the operations only some backends have (`Backend.rate`, `relations`, `attachments`): each opens the
 * profile's backend like any other, and a backend without the operation is a usage error naming what it can do.
 */
function optionalCommands(): Command[] {
  const profileOf = (options: GlobalOptions) => options.profile ?? localProfile.name;
  const score = new Command('score')
    .description('rate how the service handled a finished ticket, 1 (poor) to 5 (excellent)')
    .argument('<id>', 'ticket id')
    .requiredOption('--rating <n>', 'a whole number from 1 to 5', (v) => rating(v))
    .option('--comment <text>', 'what you think of the handling')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { rating: number; comment?: string }>();
      await withBackend(options, async (backend, signal) => {
        const ticket = await requireOperation(backend, 'rate', profileOf(options))(ticketId(id), { score: options.rating, comment: options.comment }, { signal });
        print(options, ticket, `${formatSummary(ticket)}Rated ${options.rating}/5\n`);
      });
    });
  const relate = new Command('relate')
    .description('relate tickets of the same service to a ticket, or list (no OTHER) or remove its related tickets')
    .argument('<id>', 'ticket id')
    .argument('[other...]', 'the tickets to relate to it')
    .option('--remove <other>', 'remove the relation to this ticket')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, others: string[], _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { remove?: string }>();
      if (options.remove !== undefined && others.length > 0) throw new DbTicketsError('usage', 'Give either tickets to relate or --remove, not both.');
      await withBackend(options, async (backend, signal) => {
        const relations = requireOperation(backend, 'relations', profileOf(options));
        const ticket = ticketId(id);
        const linked =
          options.remove !== undefined
            ? await relations.remove(ticket, ticketId(options.remove), { signal })
            : others.length > 0
              ? await relations.add(ticket, others.map((other) => ticketId(other)), { signal })
              : await relations.list(ticket, { signal });
        const human = linked.length === 0 ? `#${ticket} has no related tickets.\n` : linked.map((t) => `#${t.id}  ${t.title}${t.submitter ? `  (${t.submitter})` : ''}\n`).join('');
        print(options, { items: linked }, human);
      });
    });
  const attachments = new Command('attachments')
    .description("list a ticket's attachments (name, size, id), or save or delete one")
    .argument('<id>', 'ticket id')
    .option('--download <name-or-id>', 'save this attachment (never over an existing file)')
    .option('--out <file>', 'where to save it (default: its name in the current folder)')
    .option('--delete <name-or-id>', 'delete this attachment, where the service allows it')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { download?: string; out?: string; delete?: string }>();
      if (options.download !== undefined && options.delete !== undefined) throw new DbTicketsError('usage', 'Give either --download or --delete, not both.');
      if (options.out !== undefined && options.download === undefined) throw new DbTicketsError('usage', '--out goes with --download.');
      await withBackend(options, async (backend, signal) => {
        const files = requireOperation(backend, 'attachments', profileOf(options));
        const ticket = ticketId(id);
        const current = await files.list(ticket, { signal });
        if (options.download !== undefined) {
          const file = attachmentNamed(current, options.download, ticket);
          const path = resolve(options.out ?? safeFileName(file.name));
          if (existsSync(path)) throw new DbTicketsError('conflict', `${path} exists already: nothing was saved. Name another file with --out, or move that one away.`);
          const result = await withProgress('bytes', `Downloading ${file.name}`, (line) => files.download(ticket, file.id!, { path }, { signal, onProgress: (p) => line?.update(p) }));
          print(options, result, `Saved ${result.bytes} bytes to ${result.path}\n`);
          return;
        }
        const after = options.delete !== undefined ? await files.remove(ticket, attachmentNamed(current, options.delete, ticket).id!, { signal }) : current;
        const human = after.length === 0 ? `#${ticket} has no attachments.\n` : after.map((f) => `${f.name}  ${f.size === undefined ? '-' : `${f.size} bytes`}  ${f.id ?? ''}\n`).join('');
        print(options, { items: after }, human);
      });
    });
  return [score, relate, attachments];
}

/** The attachment with this id, or else with this name (which must then be unique). */
function attachmentNamed(files: TicketAttachment[], wanted: string, ticket: string): TicketAttachment {
  const byId = files.find((f) => f.id === wanted);
  if (byId) return byId;
  const named = files.filter((f) => f.name === wanted && f.id !== undefined);
  if (named.length === 1) return named[0];
  const all = files.map((f) => `${f.name} (${f.id})`).join(', ');
  if (named.length > 1) throw new DbTicketsError('usage', `#${ticket} has ${named.length} attachments named ${wanted}: give the id of one (${named.map((f) => f.id).join(', ')}).`);
  throw new DbTicketsError('usage', `#${ticket} has no attachment named or with the id "${wanted}"${all ? `: its attachments are ${all}` : '; it has no attachments'}.`);
}

function rating(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 5) throw new DbTicketsError('usage', `--rating must be a whole number from 1 to 5, not "${value}".`);
  return n;
}

function list(): Command {
  return new Command('list')
    .description('list tickets, newest first')
    .option('--status <states>', `only these states, comma-separated (${TicketState.options.join(', ')})`)
    .addOption(new Option('--scope <scope>', "whose tickets (default: the backend's own; all tickets on the local profile, yours on DMS)").choices(['mine', 'awaiting_me', 'related', 'all']))
    .option('--limit <n>', 'tickets per page (1 to 100)', (v) => boundedInt(v, '--limit', 100), 50)
    .option('--cursor <cursor>', 'the page after a previous listing')
    .option('--json', 'print machine-readable JSON')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { status?: string; scope?: ListScope; limit: number; cursor?: string }>();
      const states = options.status?.split(',').map((s) => parseState(s.trim()));
      await withBackend(options, async (backend) => {
        const page = await backend.list({ scope: options.scope, states }, { size: options.limit, cursor: options.cursor });
        print(options, page, formatList(page));
      });
    });
}

function show(): Command {
  return new Command('show')
    .description('show a ticket: SQL, status, precheck, execution, history')
    .argument('<id>', 'ticket id')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withBackend(options, async (backend) => {
        const ticket = await backend.get(ticketId(id));
        print(options, ticket, formatDetail(ticket));
      });
    });
}

function simpleAction(action: 'approve' | 'reject' | 'cancel' | 'reopen' | 'close' | 'urge'): Command {
  return new Command(action)
    .description(`${action} a ticket`)
    .argument('<id>', 'ticket id')
    .option('--comment <text>', 'a comment recorded with the action')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { comment?: string }>();
      await act(options, id, { action, comment: options.comment });
    });
}

function transfer(): Command {
  return new Command('transfer')
    .description('hand a ticket you are to approve over to another approver')
    .argument('<id>', 'ticket id')
    .requiredOption('--to <user>', 'the new approver: a user id or name')
    .option('--comment <text>', 'a comment recorded with the action')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { to: string; comment?: string }>();
      const to = options.to.trim();
      if (to === '') throw new DbTicketsError('usage', '--to is empty: give the user id or name of the new approver.');
      await act(options, id, { action: 'transfer', to: { id: to, name: to }, comment: options.comment });
    });
}

function check(): Command {
  return new Command('check')
    .description("check the profile: credentials, tenant, edition and what it cannot do")
    .option('--json', 'print machine-readable JSON')
    .action(async (_o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withBackend(options, async (backend, signal) => {
        const result = backend.check ? await backend.check({ signal }) : { facts: [], warnings: [] };
        const width = Math.max(0, ...result.facts.map((f) => f.label.length)) + 2;
        const human = [
          ...(result.facts.length > 0 ? result.facts.map((f) => `${`${f.label}:`.padEnd(width)}${f.value}`) : ['Nothing to check: the profile opens.']),
          ...result.warnings.map((w) => `Warning: ${w}`),
        ];
        print(options, result, `${human.join('\n')}\n`);
      });
    });
}

function comment(): Command {
  return new Command('comment')
    .description('add a comment to a ticket')
    .argument('<id>', 'ticket id')
    .argument('<text>', 'the comment')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, text: string, _o: unknown, command: Command) => {
      if (text.trim() === '') throw new DbTicketsError('usage', 'The comment is empty: write the text to add.');
      await act(command.optsWithGlobals<GlobalOptions>(), id, { action: 'comment', comment: text });
    });
}

function deleteTicket(): Command {
  return new Command('delete')
    .description('delete a ticket and its history from the service (where the backend can)')
    .argument('<id>', 'ticket id')
    .option('--json', 'print machine-readable JSON: the ticket as it was just before')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withBackend(options, async (backend, signal) => {
        const ticket = await backend.act(ticketId(id), { action: 'delete' }, { signal });
        print(options, ticket, `Ticket #${ticket.id} "${ticket.title}" deleted.\n`);
      });
    });
}

function execute(): Command {
  return new Command('execute')
    .description('run an approved ticket: the export, or the change')
    .argument('<id>', 'ticket id')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions>();
      await withBackend(options, async (backend, signal) => {
        const ticket = await withProgress('rows', `Executing #${id.replace(/^#/, '')}`, (line) => backend.act(ticketId(id), { action: 'execute' }, { signal, onProgress: (p) => line?.update(p) }));
        print(options, ticket, formatSummary(ticket));
        if (ticket.status.state === 'failed') process.exitCode = 1;
      });
    });
}

function download(): Command {
  return new Command('download')
    .description("save a ticket's result (an export's file)")
    .argument('<id>', 'ticket id')
    .option('--out <file>', 'where to save it (default: the result file name in the current folder)')
    .option('--json', 'print machine-readable JSON')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { out?: string }>();
      await withBackend(options, async (backend, signal) => {
        const ticket = await backend.get(ticketId(id));
        if (!ticket.execution?.hasResult) {
          throw new DbTicketsError('conflict', `Ticket #${ticket.id} has no result to download (it is ${statusLabel(ticket.status)}): execute an approved export first.`);
        }
        const path = resolve(options.out ?? ticket.execution.resultName ?? `ticket-${ticket.id}-result`);
        const result = await withProgress('bytes', `Downloading the result of #${ticket.id}`, (line) => backend.download(ticket.id, { path }, { signal, onProgress: (p) => line?.update(p) }));
        print(options, result, `Saved ${result.bytes} bytes to ${result.path}\n`);
      });
    });
}

/** The states a ticket reaches only once it was approved. */
const approvedOrLater: ReadonlySet<TicketState> = new Set(['approved', 'executing', 'succeeded']);

function watch(): Command {
  return new Command('watch')
    .description('follow a ticket until it ends (with --until approved, until it is approved); exit 0 when it succeeded (or was approved), 1 when it failed, was rejected or cancelled')
    .argument('<id>', 'ticket id')
    .option('--interval <seconds>', 'seconds between checks (1 to 3600)', (v) => boundedInt(v, '--interval', 3600), 5)
    .addOption(
      new Option('--until <point>', 'done: until the ticket ends; approved: only until it is approved (or executing or succeeded), e.g. for a CI job that waits for the approval')
        .choices(['done', 'approved'])
        .default('done'),
    )
    .option('--json', 'print each change as a JSON line')
    .addHelpText('after', '\nExit codes:\n  0  the ticket succeeded (with --until approved: it was approved, or is executing or succeeded)\n  1  it failed, was rejected or cancelled\n  2  usage or configuration error\n')
    .action(async (id: string, _o: unknown, command: Command) => {
      const options = command.optsWithGlobals<GlobalOptions & { interval: number; until: 'done' | 'approved' }>();
      await withBackend(options, async (backend, signal) => {
        let last = '';
        // A backend that pushes changes (a team store) ends the wait as soon as anything changes; the interval
        // still bounds it, and a change while the ticket was being read is not missed.
        let changed = false;
        let wake = () => {};
        const pushed = await backend.watchChanges?.(() => {
          changed = true;
          wake();
        });
        try {
          await withProgress('rows', `Watching #${id.replace(/^#/, '')}`, async (line) => {
            for (;;) {
              changed = false;
              const ticket = await ticketHeadline(backend, ticketId(id), { signal });
              const now = `${ticket.status.state}/${ticket.status.native}`;
              if (now !== last) {
                line?.clear();
                print(options, { id: ticket.id, status: ticket.status, at: ticket.updatedAt }, formatSummary(ticket));
                last = now;
              }
              const approved = options.until === 'approved' && approvedOrLater.has(ticket.status.state);
              if (approved || isFinalState(ticket.status.state)) {
                process.exitCode = approved || ticket.status.state === 'succeeded' ? 0 : 1;
                return;
              }
              line?.update({ message: `Watching #${ticket.id}: ${statusLabel(ticket.status)}` });
              if (!changed) await sleep(options.interval * 1000, signal, (resolve) => (wake = resolve));
            }
          });
        } finally {
          pushed?.dispose();
        }
      });
    });
}

async function act(options: GlobalOptions, id: string, request: ActionRequest): Promise<void> {
  await withBackend(options, async (backend: Backend, signal) => {
    const ticket = await backend.act(ticketId(id), request, { signal });
    print(options, ticket, formatSummary(ticket));
  });
}



function parseState(value: string): TicketState {
  const parsed = TicketState.safeParse(value.replace(/ /g, '_'));
  if (!parsed.success) throw new DbTicketsError('usage', `--status ${value} is not a ticket state: use ${TicketState.options.join(', ')}.`);
  return parsed.data;
}

/** A whole number from 1 to `max`: larger values would overflow timers or ask services for more than they serve. */
function boundedInt(value: string, option: string, max: number): number {
  const n = /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new DbTicketsError('usage', `${option} must be a whole number from 1 to ${max}, not "${value}".`);
  return n;
}

/** Waits `ms`, or until `early` is handed a way to end the wait and uses it. */
function sleep(ms: number, signal: AbortSignal, early?: (resolve: () => void) => void): Promise<void> {
  return new Promise((done, fail) => {
    const timer = setTimeout(done, ms);
    early?.(() => {
      clearTimeout(timer);
      done();
    });
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      fail(new DbTicketsError('cancelled', 'Stopped watching.'));
    }, { once: true });
  });
}
