import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { profileJsonSchema, fieldDescriptionKey } from '../../../src/backends/profileJsonSchema';
import { languageModelToolsManifest } from '../../../src/agentTools/toolManifest';
import { backendModules } from '../../../src/backends/registry';
import type { Localizable } from '../../../src/core/localizable';
import * as z from '../../../src/core/zod';
import { CommandIds } from '../../../src/vscode/commands/commandIds';
import { flavors } from '../../../scripts/sandbox.mjs';

const root = join(__dirname, '..', '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const pkg = readJson('package.json');
const contributes = pkg.contributes;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('package.json manifest', () => {
  const declared: string[] = contributes.commands.map((c: { command: string }) => c.command);

  it('declares exactly the commands the code registers', () => {
    assert.deepEqual([...declared].sort(), Object.values(CommandIds).sort());
  });

  it('menus only name declared commands and submenus', () => {
    const submenus = new Set(contributes.submenus.map((s: { id: string }) => s.id));
    for (const [menu, items] of Object.entries(contributes.menus) as Array<[string, Array<{ command?: string; submenu?: string }>]>) {
      for (const item of items) {
        if (item.command) assert.ok(declared.includes(item.command), `${menu} names undeclared command ${item.command}`);
        else assert.ok(submenus.has(item.submenu), `${menu} names undeclared submenu ${item.submenu}`);
      }
    }
  });

  it('offers create actions in the editor only on selected SQL', () => {
    for (const item of contributes.menus['editor/context']) {
      assert.match(item.when, /editorHasSelection/);
      assert.match(item.when, /editorLangId =~ \/sql\//);
    }
  });

  it('puts ticket actions on ticket nodes through tag-style context values', () => {
    for (const item of contributes.menus['view/item/context']) {
      assert.match(item.when, /view == dbTickets\.tickets && viewItem =~ /);
    }
  });

  it('shows a welcome with buttons while the Tickets view is empty', () => {
    const welcome = contributes.viewsWelcome.find((w: { view: string }) => w.view === 'dbTickets.tickets');
    assert.ok(welcome, 'no viewsWelcome for the Tickets view');
  });

  it('scopes endpoint and credential settings to the machine or the application', () => {
    const sensitive = /profiles|connections|endpoint|credential|secret|token|password|http\./i;
    const properties = Object.entries(contributes.configuration.properties) as Array<[string, { scope?: string }]>;
    const checked = properties.filter(([name]) => sensitive.test(name));
    assert.ok(checked.length >= 2);
    for (const [name, schema] of checked) {
      assert.ok(['application', 'machine'].includes(schema.scope ?? ''), `${name} has scope ${schema.scope}: a workspace could redirect it`);
    }
  });

  it('activates through its contributions, on SQL documents for the precheck diagnostics, to reopen saved drafts and to restore details panels', () => {
    assert.deepEqual(pkg.activationEvents, ['onLanguage:sql', 'onFileSystem:db-tickets-draft', 'onWebviewPanel:dbTickets.details']);
  });

  it('references icons that exist', () => {
    for (const container of contributes.viewsContainers.activitybar) assert.ok(existsSync(join(root, container.icon)), container.icon);
  });
});

/** The categories the Marketplace and VS Code accept (VS Code's extension manifest schema, `EXTENSION_CATEGORIES`). */
const marketplaceCategories = [
  'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Extension Packs', 'Education', 'Formatters', 'Keymaps', 'Language Packs',
  'Linters', 'Machine Learning', 'Notebooks', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization', 'Other',
];

/** Width and height from a PNG's IHDR chunk, which must follow the signature. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${file} has no IHDR chunk first`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('Marketplace listing', () => {
  it('has a 128×128 PNG icon', () => {
    assert.match(pkg.icon, /\.png$/);
    assert.deepEqual(pngSize(join(root, pkg.icon)), { width: 128, height: 128 });
  });

  it('has a gallery banner in a colour with a matching theme', () => {
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme), `galleryBanner.theme is ${pkg.galleryBanner.theme}`);
  });

  it('names only categories the Marketplace accepts, and keywords within its limit of 30', () => {
    assert.ok(pkg.categories.length > 0);
    for (const category of pkg.categories) assert.ok(marketplaceCategories.includes(category), `unknown category ${category}`);
    assert.ok(pkg.keywords.length <= 30, `${pkg.keywords.length} keywords`);
    assert.equal(new Set(pkg.keywords).size, pkg.keywords.length, 'a keyword appears twice');
  });

  it('declares the oldest VS Code the integration tier runs on, and types of that version', () => {
    const [major, minor] = flavors.oldest.vscode.split('.');
    assert.equal(pkg.engines.vscode, `^${major}.${minor}.0`);
    assert.equal(pkg.devDependencies['@types/vscode'], `~${major}.${minor}.0`);
  });

  it('packs the icon but not the README\'s images and captures under docs/', async function () {
    this.timeout(60_000);
    const { listFiles, PackageManager } = await import('@vscode/vsce');
    const files = await listFiles({ cwd: root, packageManager: PackageManager.None });
    assert.ok(files.includes(pkg.icon), `${pkg.icon} is not in the package`);
    assert.deepEqual(files.filter((file) => file.startsWith('docs/')), []);
  });
});

describe('localization', () => {
  const english = readJson('package.nls.json');
  const chinese = readJson('package.nls.zh-cn.json');
  const bundle = readJson('l10n/bundle.l10n.zh-cn.json');

  it('defines every %key% of package.json in English and Simplified Chinese', () => {
    const keys = [...readFileSync(join(root, 'package.json'), 'utf8').matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 10);
    for (const key of keys) {
      assert.ok(english[key], `package.nls.json lacks ${key}`);
      assert.ok(chinese[key], `package.nls.zh-cn.json lacks ${key}`);
    }
    assert.deepEqual(Object.keys(chinese).sort(), Object.keys(english).sort());
  });

  it('translates every vscode.l10n.t string of the extension', () => {
    const sources = filesUnder(join(root, 'src')).filter((f) => f.endsWith('.ts'));
    const strings = sources.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/l10n\.t\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2].replace(/\\(.)/g, '$1')),
    );
    assert.ok(strings.length > 5);
    for (const text of strings) {
      assert.ok(bundle[text], `l10n/bundle.l10n.zh-cn.json lacks "${text}"`);
    }
  });
});

describe('backend registry in the manifest', () => {
  it('declares the profile schema the registry derives (run `npm run profile-schema` after changing a profile schema)', () => {
    const { schema, descriptions } = profileJsonSchema();
    assert.deepEqual(contributes.configuration.properties['dbTickets.profiles'].items, schema);
    const english = readJson('package.nls.json');
    for (const [key, text] of Object.entries(descriptions)) assert.equal(english[key], text, `package.nls.json: ${key}`);
  });

  it('documents every field of every backend profile', () => {
    const { descriptions } = profileJsonSchema();
    for (const module of backendModules) {
      const fields = Object.keys((z.toJSONSchema(module.profileSchema, { io: 'input', unrepresentable: 'any' }) as { properties: object }).properties);
      for (const field of fields.filter((f) => f !== 'name' && f !== 'backend')) {
        assert.ok(descriptions[fieldDescriptionKey(module.id, field)], `${module.id}.${field} is undocumented`);
      }
    }
  });

  it('translates every text of the backend modules (names, form steps, choices, secrets, localized messages)', () => {
    const bundle = readJson('l10n/bundle.l10n.zh-cn.json');
    const texts: Localizable[] = backendModules.flatMap((module) => [
      module.displayName,
      module.description,
      ...module.secretFields.map((secret) => secret.label),
      ...module.formFields.flatMap((field) => [
        field.prompt,
        ...(field.choices ?? []).flatMap((choice) => [choice.label, choice.description, choice.detail].filter((t) => t !== undefined)),
        ...(field.folder ? [field.folder.defaultLabel, field.folder.defaultDetail, field.folder.browseDetail, field.folder.openLabel] : []),
      ]),
    ]);
    const templates = filesUnder(join(root, 'src'))
      .filter((file) => file.endsWith('.ts'))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/localized\(\s*(['"`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2].replace(/\\(.)/g, '$1')));
    assert.ok(templates.length > 3);
    const choiceValues = new Set(backendModules.flatMap((module) => module.formFields.flatMap((field) => (field.choices ?? []).map((choice) => choice.value))));
    for (const text of [...texts.map((t) => (typeof t === 'string' ? t : t.template)), ...templates]) {
      // A choice labelled with its own value (a region id) is not language.
      if (choiceValues.has(text)) continue;
      assert.ok(bundle[text], `l10n/bundle.l10n.zh-cn.json lacks "${text}"`);
    }
  });
});

describe('agent tools in the manifest', () => {
  it('declares the language model tools the agent tools define (run `npm run language-model-tools` after changing one)', () => {
    const { tools, nls } = languageModelToolsManifest();
    assert.deepEqual(contributes.languageModelTools, tools);
    const english = readJson('package.nls.json');
    for (const [key, text] of Object.entries(nls)) assert.equal(english[key], text, `package.nls.json: ${key}`);
  });

  it('offers VS Code no tool that files a ticket: a person submits the draft', () => {
    const names = contributes.languageModelTools.map((tool: { name: string }) => tool.name);
    assert.deepEqual(names, ['dbTickets_analyze_sql', 'dbTickets_prepare_ticket_draft', 'dbTickets_list_tickets', 'dbTickets_show_ticket', 'dbTickets_explain_ticket_status']);
  });
});
