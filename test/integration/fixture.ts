import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProfileConfig } from '../../src/backends/profiles';
import type { Backend, TicketSummary } from '../../src/core/backend/backend';
import type { TicketDraft } from '../../src/core/model/ticketDraft';
import type { DraftSource } from '../../src/vscode/drafts/draftList';
import { Backends } from '../../src/vscode/profiles/backends';
import { TicketsModel } from '../../src/vscode/tickets/ticketsModel';
import { type TreeNode, TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { activateExtension, useLocalStore, windowStubber } from './stubs';

export type TicketNode = Extract<TreeNode, { type: 'ticket' }>;

export interface FixtureOptions {
  /** Tickets per page of the model. */
  pageSize?: number;
  /** Profiles configured after the Local one, e.g. a DMS profile on a fake; read once the suite's `before` ran. */
  profiles?: () => object[];
  /** Secrets in the suite's own secret storage, by SecretStorage key. */
  secrets?: ReadonlyMap<string, string>;
  /** The drafts the tree lists (disposed after the suite); none unless given, so other suites' drafts stay out of view. */
  drafts?: () => DraftSource & vscode.Disposable;
}

const noDrafts: DraftSource & vscode.Disposable = { list: async () => [], onDidChange: () => new vscode.Disposable(() => undefined), dispose: () => undefined };

export interface TicketsFixture {
  folder: string;
  backends: Backends;
  tickets: TicketsModel;
  tree: TicketsTreeProvider;
  drafts: DraftSource & vscode.Disposable;
  /** The Local profile, on the suite's own store. */
  local: ProfileConfig;
  /** Its backend. */
  backend: Backend;
  /** Replaces a `vscode.window` function until the end of the test. */
  stub: ReturnType<typeof windowStubber>;
  /** The tree node of a ticket, as the view hands it to a command, after a fresh load. */
  node(id: string, profile?: string): Promise<TicketNode>;
  /** Submits a small export on the Local profile's demo database. */
  submitExport(title: string, overrides?: Partial<TicketDraft>): Promise<TicketSummary>;
}

/**
 * The set-up the integration suites share: the extension activated, the Local profile on a store of the suite's own
 * (with any extra profiles after it), and the suite's own Backends, tickets model and Tickets tree on it; window stubs
 * are undone after each test, and everything after the suite.
 */
export function useTicketsFixture(options: FixtureOptions = {}): () => TicketsFixture {
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-suite-'));
  const restores: Array<() => void> = [];
  let fixture: TicketsFixture | undefined;

  before(async () => {
    await activateExtension();
    await useLocalStore(join(folder, 'store'));
    if (options.profiles) {
      const settings = vscode.workspace.getConfiguration('dbTickets');
      await settings.update('profiles', [...settings.get<object[]>('profiles', []), ...options.profiles()], vscode.ConfigurationTarget.Global);
    }
    const secrets = options.secrets ?? new Map<string, string>();
    const context = { globalStorageUri: vscode.Uri.file(folder), secrets: { get: async (key: string) => secrets.get(key) } } as unknown as vscode.ExtensionContext;
    const backends = new Backends(context);
    const tickets = new TicketsModel(backends, { pageSize: options.pageSize });
    const drafts = options.drafts?.() ?? noDrafts;
    const tree = new TicketsTreeProvider(tickets, drafts);
    const local = backends.profiles()[0];
    const backend = await backends.get(local);
    fixture = {
      folder,
      backends,
      tickets,
      tree,
      drafts,
      local,
      backend,
      stub: windowStubber(restores),
      async node(id, profile = local.name) {
        tickets.refresh();
        const root = (await tree.getChildren()).find((n) => n.type === 'profile' && n.profile.name === profile);
        for (const group of root ? await tree.getChildren(root) : []) {
          const found = (await tree.getChildren(group)).find((n) => n.type === 'ticket' && n.ticket.id === id);
          if (found?.type === 'ticket') return found;
        }
        throw new Error(`ticket #${id} of ${profile} is not in the tree`);
      },
      submitExport: (title, overrides = {}) =>
        backend.submit({
          id: randomUUID(),
          title,
          kind: 'DATA_EXPORT',
          sql: 'SELECT id, email FROM customers ORDER BY id LIMIT 3',
          database: 'demo',
          reason: 'integration test',
          stakeholders: [],
          attachments: [],
          backendFields: {},
          ...overrides,
        }),
    };
  });
  afterEach(() => restores.splice(0).forEach((restore) => restore()));
  after(async () => {
    fixture?.tree.dispose();
    fixture?.drafts.dispose();
    fixture?.tickets.dispose();
    fixture?.backends.dispose();
    await useLocalStore(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
  return () => fixture!;
}
