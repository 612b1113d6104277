import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DraftList } from '../../src/vscode/drafts/draftList';
import type { DraftNode, TreeNode, TicketsTreeProvider } from '../../src/vscode/tickets/ticketsTree';
import { useTicketsFixture } from './fixture';
import { createThroughFlow } from './quickInputDriver';
import { extensionId, openSqlFile, until } from './stubs';

/** Where the extension keeps its drafts: the sandbox's user data lies beside the workspace folder. */
function storedDraftsFolder(): string {
  return join(dirname(vscode.workspace.workspaceFolders![0].uri.fsPath), 'user-data', 'User', 'globalStorage', extensionId, 'drafts');
}

/** A draft made from SQL in a file, through the create flow, as a user makes one. */
async function draftFromSql(sql: string, title: string): Promise<vscode.TextEditor> {
  const editor = await openSqlFile(sql);
  editor.selection = new vscode.Selection(0, 0, editor.document.lineCount, 0);
  return createThroughFlow('dbTickets.createDataExportTicket', { profile: 'local', title });
}

/** Markdown text as a reader sees it, without backslash escapes (VS Code 1.96's appendText escapes "-"; later ones do not). */
function asRead(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Replaces a header line of an open draft, as typing it would. */
async function setField(editor: vscode.TextEditor, field: string, value: string): Promise<void> {
  const line = [...Array(editor.document.lineCount).keys()].map((i) => editor.document.lineAt(i)).find((l) => l.text.startsWith(`-- ${field}:`));
  assert.ok(line, `no ${field} line`);
  await editor.edit((edit) => edit.replace(line.range, `-- ${field}: ${value}`));
}

const isTab = (id: string) => (tab: vscode.Tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.query === id;
const draftTabs = (id: string) => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter(isTab(id));

describe('Drafts group of the Tickets tree', function () {
  this.timeout(120_000);
  const secondStore = mkdtempSync(join(tmpdir(), 'db-tickets-drafts-'));
  const suite = useTicketsFixture({ drafts: () => new DraftList(), profiles: () => [{ name: 'team', backend: 'local', store: secondStore, actor: 'bob' }] });
  let tree: TicketsTreeProvider;
  let changes = 0;
  const junk: string[] = [];

  const deleteDrafts = async () => {
    for (const draft of await suite().drafts.list()) await vscode.workspace.fs.delete(draft.uri);
  };

  before(async () => {
    tree = suite().tree;
    tree.onDidChangeTreeData(() => changes++);
    await deleteDrafts(); // other suites' drafts would be listed too
  });
  afterEach(async () => {
    junk.splice(0).forEach((path) => rmSync(path, { recursive: true, force: true }));
    while (vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await deleteDrafts();
  });

  /**
   * Waits for the tree to announce changes until `shown` holds: the view asks for its items again only when told,
   * so a tree that changed without saying so fails here.
   */
  async function announced(since: number, shown: () => Promise<boolean>, what: string): Promise<void> {
    let seen = since;
    for (;;) {
      await until(() => changes > seen, `the tree announces ${what}`);
      seen = changes;
      if (await shown()) return;
    }
  }

  /** A draft's tooltip as a hover shows it (built then, not on every draw). */
  function tooltipOf(node: TreeNode): string {
    return (tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ');
  }

  async function childrenOf(profile: string): Promise<TreeNode[]> {
    const root = (await tree.getChildren()).find((node) => node.type === 'profile' && node.profile.name === profile);
    return root ? tree.getChildren(root) : [];
  }

  /** The drafts listed under a profile's Drafts group; none when it has no group. */
  async function draftsUnder(profile: string): Promise<DraftNode[]> {
    const group = (await childrenOf(profile)).find((node) => node.type === 'drafts');
    return group ? ((await tree.getChildren(group)) as DraftNode[]) : [];
  }

  it('lists a new draft first under its profile, with its title, age and header, and opens it under its own id', async () => {
    assert.deepEqual(await tree.getChildren(), [], 'no tickets and no drafts: the welcome shows');
    const before = changes;
    const editor = await draftFromSql('SELECT id, email FROM customers ORDER BY id LIMIT 5;', 'Export customers');
    const id = editor.document.uri.query;
    await announced(before, async () => (await draftsUnder('local')).length === 1, 'the new draft');

    const [group] = await childrenOf('local');
    const groupItem = tree.getTreeItem(group);
    assert.deepEqual([group.type, groupItem.label, groupItem.description, groupItem.contextValue], ['drafts', 'Drafts', '1', 'drafts']);
    assert.deepEqual(await draftsUnder('team'), [], 'the draft goes to the local profile, not to team');
    const [node] = await draftsUnder('local');
    const item = tree.getTreeItem(node);
    assert.deepEqual([node.draft.id, item.label, item.description, item.contextValue], [id, 'Export customers', 'this minute', 'draft']);
    const tooltip = tooltipOf(node);
    for (const line of ['**Kind:** DATA\\_EXPORT', '**Database:** demo', '**Profile:** local']) assert.ok(tooltip.includes(line), tooltip);

    // Edits are saved as typed, and the group follows them.
    const renamed = changes;
    await setField(editor, 'Title', 'Export customer emails');
    await announced(renamed, async () => tree.getTreeItem((await draftsUnder('local'))[0]).label === 'Export customer emails', 'the new title');

    // Open from the tree while its editor is open: the same document, under the name it was opened with.
    await vscode.commands.executeCommand('workbench.action.files.newUntitledFile');
    const [current] = await draftsUnder('local');
    const open = tree.getTreeItem(current).command!;
    assert.equal(open.command, 'dbTickets.openDraft');
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    assert.equal(vscode.window.activeTextEditor?.document, editor.document);

    // Closed, it opens again from the tree under its id.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await until(() => draftTabs(id).length === 0, 'the draft closes');
    await vscode.commands.executeCommand(open.command, ...(open.arguments ?? []));
    const reopened = vscode.window.activeTextEditor?.document;
    assert.equal(reopened?.uri.query, id);
    assert.match(reopened.getText(), /^-- Title: Export customer emails$/m);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'db-tickets-draft' && d.uri.query === id).length, 1, 'opened twice');
  });

  it('draws the tree again when a header line changes, not on every save of the SQL below it', async () => {
    const editor = await draftFromSql('SELECT id FROM customers LIMIT 4;', 'Typed into');
    await announced(changes - 1, async () => (await draftsUnder('local')).length === 1, 'the new draft');
    const stored = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(editor.document.uri));
    const before = changes;
    const last = editor.document.lineAt(editor.document.lineCount - 1);
    await editor.edit((edit) => edit.insert(last.range.end, '\n-- and its email'));
    for (let waited = 0; !(await stored()).includes('-- and its email'); waited += 50) {
      assert.ok(waited < 30_000, 'the edit is never saved');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await setField(editor, 'Title', 'Typed into twice');
    await announced(before, async () => tree.getTreeItem((await draftsUnder('local'))[0]).label === 'Typed into twice', 'the new title');
    assert.equal(changes - before, 1, 'the save of the SQL drew the tree again');
  });

  it('asks before discarding a draft, then deletes it for good, closes its editor and drops it from the tree', async () => {
    const editor = await draftFromSql('SELECT id FROM customers LIMIT 3;', 'Not needed after all');
    const [node] = await draftsUnder('local');
    const { id, title } = node.draft;
    assert.equal(id, editor.document.uri.query);
    await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.Beside);
    assert.equal(draftTabs(id).length, 2);
    const user = { answer: undefined as string | undefined };
    const discard = suite().stub('showWarningMessage', (async () => user.answer) as typeof vscode.window.showWarningMessage);

    await vscode.commands.executeCommand('dbTickets.discardDraft', node);
    assert.deepEqual(discard.calls[0], [`Discard the draft "${title}"?`, { modal: true, detail: 'Its header and SQL are deleted and its editor closes. This cannot be undone.' }, 'Discard']);
    await vscode.workspace.fs.stat(node.draft.uri); // declined: still there
    assert.equal(draftTabs(id).length, 2);

    const before = changes;
    user.answer = 'Discard';
    await vscode.commands.executeCommand('dbTickets.discardDraft', node);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(node.draft.uri)), 'the discarded draft is still stored');
    assert.equal(draftTabs(id).length, 0, 'an editor of the discarded draft is still open');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(node.draft.uri, new TextEncoder().encode('-- Title: back'))), 'a late save wrote the draft again');
    await announced(before, async () => (await tree.getChildren()).length === 0, 'the discarded draft gone');
  });

  it('lists a draft by the profile its header names, and one naming a profile not configured under Local, marked', async () => {
    const write = (title: string, profile: string) =>
      vscode.workspace.fs.writeFile(vscode.Uri.from({ scheme: 'db-tickets-draft', path: `/${title}.sql`, query: randomUUID() }), new TextEncoder().encode(`-- Kind: DATA_EXPORT\n-- Profile: ${profile}\n-- Database: demo\n-- Title: ${title}\n\nSELECT 1;\n`));
    const before = changes;
    await write('For the team', 'team');
    await write('For nobody', 'prod-eu');
    await announced(before, async () => (await draftsUnder('local')).length === 1 && (await draftsUnder('team')).length === 1, 'both drafts');

    assert.deepEqual((await draftsUnder('team')).map((node) => [node.draft.title, node.unconfigured]), [['For the team', false]]);
    const [stray] = await draftsUnder('local');
    const item = tree.getTreeItem(stray);
    assert.equal(item.label, 'For nobody');
    assert.equal(item.description, 'this minute · profile "prod-eu" is not configured');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(asRead(tooltipOf(stray)), /No profile "prod-eu" is configured, so the draft cannot be submitted as it is/);
  });

  it('skips files in the drafts folder that are no drafts, and lists the drafts beside them', async () => {
    const folder = storedDraftsFolder();
    const draft = await draftFromSql('SELECT id FROM customers LIMIT 1;', 'Among junk');
    const path = (name: string) => {
      const full = join(folder, name);
      junk.push(full);
      return full;
    };
    writeFileSync(path(`${randomUUID()}.sql`), Uint8Array.from([0x2d, 0x2d, 0x20, 0xd5, 0xe2, 0xff, 0xfe, 0x0a]));
    writeFileSync(path(`${randomUUID()}.sql`), '-- Title: binary\n\0\0\0');
    writeFileSync(path('not a draft.sql'), '-- Title: spaces in the name\n');
    writeFileSync(path('..\u202etxt.sql'), '-- Title: hostile name\n');
    writeFileSync(path(`${randomUUID()}.sql.4242.tmp`), '-- Title: half written\n');
    mkdirSync(path(`${randomUUID()}.sql`));
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'db-tickets-link-')), 'draft.sql');
    writeFileSync(elsewhere, '-- Title: linked from elsewhere\n');
    symlinkSync(elsewhere, path(`${randomUUID()}.sql`));
    assert.equal(spawnSync('mkfifo', [path(`${randomUUID()}.sql`)]).status, 0, 'mkfifo failed');
    const id = draft.document.uri.query;
    const threeMinutesAgo = new Date(Date.now() - 3 * 60_000);
    utimesSync(join(folder, `${id}.sql`), threeMinutesAgo, threeMinutesAgo);

    const listed = await draftsUnder('local');
    assert.deepEqual(listed.map((node) => [node.draft.id, tree.getTreeItem(node).label, tree.getTreeItem(node).description]), [[id, 'Among junk', '3 minutes ago']]);
  });

  it('drops a submitted draft from the tree', async () => {
    const draft = await draftFromSql('SELECT id, email FROM customers ORDER BY id LIMIT 2;', 'Submitted soon');
    const id = draft.document.uri.query;
    await until(() => !draft.document.isDirty, 'the draft is saved');
    assert.deepEqual((await draftsUnder('local')).map((node) => node.draft.id), [id]);
    suite().stub('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const before = changes;
    await vscode.commands.executeCommand('dbTickets.submitDraft', draft.document.uri);
    await announced(before, async () => (await childrenOf('local')).every((node) => node.type !== 'drafts'), 'the submitted draft gone');
    suite().tickets.refresh();
    assert.deepEqual(
      (await childrenOf('local')).map((node) => tree.getTreeItem(node).label),
      ['pending approval'],
    );
  });
});
