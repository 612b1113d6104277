// One measurement of bench/tree.bench.ts in its own process: the Tickets model and tree (with the `vscode` stand-in)
// over a backend that pages through `count` tickets held in memory, so only the extension's own work is timed.
//   treeRun.js <count>  → JSON on stdout
import type { ProfileConfig } from '../src/backends/profiles';
import type { Backend, TicketSummary } from '../src/core/backend/backend';
import type { TicketState } from '../src/core/model/ticketStatus';
import type { Backends } from '../src/vscode/profiles/backends';
import { TicketsModel } from '../src/vscode/tickets/ticketsModel';
import { type TreeNode, TicketsTreeProvider } from '../src/vscode/tickets/ticketsTree';

const count = Number(process.argv[2]);
const states: TicketState[] = ['pending_approval', 'approved', 'executing', 'succeeded', 'failed', 'rejected', 'cancelled'];
const now = Date.now();
const tickets: TicketSummary[] = Array.from({ length: count }, (_, i) => ({
  id: String(count - i),
  title: `Export orders of week ${i % 52}`,
  kind: 'DATA_EXPORT',
  status: { state: states[i % states.length], native: states[i % states.length] },
  database: 'demo',
  submitter: { id: 'alice', name: 'alice' },
  createdAt: new Date(now - i * 60_000).toISOString(),
  updatedAt: new Date(now - i * 30_000).toISOString(),
  needsYou: i % 11 === 0,
  actions: i % 7 === 0 ? ['approve', 'reject', 'comment'] : ['comment'],
  sqlExcerpt: 'SELECT id, email\nFROM customers\nWHERE created_at > now() - interval \'7 days\'',
}));

let lists = 0;
const backend = {
  capabilities: { kinds: ['DATA_EXPORT'], attachments: false, comments: true, actions: ['approve', 'reject', 'comment'] },
  async list(_filter: unknown, page: { size: number; cursor?: string }) {
    lists++;
    const from = Number(page.cursor ?? 0);
    const items = tickets.slice(from, from + page.size);
    return { items, nextCursor: from + page.size < tickets.length ? String(from + page.size) : undefined, total: tickets.length };
  },
} as unknown as Backend;
const profile = { name: 'Local', backend: 'local' } as ProfileConfig;
const backends = { profiles: () => [profile], get: async () => backend, onDidPush: () => ({ dispose() {} }) } as unknown as Backends;
const drafts = { list: async () => [], onDidChange: () => ({ dispose() {} }) };

const model = new TicketsModel(backends);
const tree = new TicketsTreeProvider(model, drafts);

/** What the workbench asks for when the view redraws: every expanded node's children and every node's item. */
async function draw(): Promise<number> {
  let items = 0;
  const walk = async (node?: TreeNode): Promise<void> => {
    for (const child of await tree.getChildren(node)) {
      tree.getTreeItem(child);
      items++;
      if (child.type === 'profile' || child.type === 'group' || child.type === 'drafts') await walk(child);
    }
  };
  await walk();
  return items;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** CPU time of this process since `from`, in ms: the tree's work, whatever else runs on a shared machine. */
const ms = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

async function main(): Promise<void> {
  // Load every page, as "Load More…" would, before measuring.
  await draw();
  while ((await model.listing(profile)).nextCursor) await model.loadMore(profile);
  const items = await draw();

  const redraws: number[] = [];
  const refreshes: number[] = [];
  let refreshLists = 0;
  for (let i = 0; i < 9; i++) {
    let start = process.cpuUsage();
    await draw();
    redraws.push(ms(start));
    // A background refresh that finds nothing changed.
    lists = 0;
    start = process.cpuUsage();
    let redrawn = false;
    const listening = model.onDidReset(() => (redrawn = true));
    await model.look();
    if (redrawn) await draw();
    listening.dispose();
    refreshes.push(ms(start));
    refreshLists = lists;
  }
  process.stdout.write(JSON.stringify({ count, items, redrawMs: median(redraws), refreshMs: median(refreshes), refreshLists, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

void main();
