import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CommandIds, ViewIds } from '../../../src/vscode/commands/commandIds';
import { cliHeading } from '../../../src/vscode/walkthrough/readmeSections';
import { Milestones } from '../../../src/vscode/walkthrough/walkthroughProgress';

const root = join(__dirname, '..', '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json'));
const languages = { en: JSON.parse(read('package.nls.json')), 'zh-cn': JSON.parse(read('package.nls.zh-cn.json')) };

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
const walkthroughs: Array<{ id: string; title: string; description: string; steps: Step[] }> = pkg.contributes.walkthroughs;
const steps = walkthroughs.flatMap((walkthrough) => walkthrough.steps);

/** The nls key a manifest string stands for: `%key%` → `key`. */
function nlsKey(value: string): string {
  const key = /^%([^%]+)%$/.exec(value)?.[1];
  assert.ok(key, `"${value}" is not localized: use a %key% of package.nls.json`);
  return key;
}

/**
 * VS Code's rule for a walkthrough step's markdown in another display language: `step.md` is read as
 * `step.nls.<locale>.md` when that file exists (then `step.nls.<language>.md`, then `step.md` itself).
 */
const localizedMarkdown = (file: string, locale: string) => file.replace(/\.md$/, `.nls.${locale}.md`);

const commandLinks = (text: string) => [...text.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]);
const pictures = (markdown: string) => [...markdown.matchAll(/!\[([^\]]*)\]\(([^)]+)\)/g)].map((m) => ({ alt: m[1], path: m[2] }));
const codeBlocks = (markdown: string) => [...markdown.matchAll(/```[\s\S]*?```/g)].map((m) => m[0]);

describe('the Get Started walkthrough in the manifest', () => {
  it('has one walkthrough of five steps, in the order a new user takes them', () => {
    assert.deepEqual(walkthroughs.map((w) => w.id), ['gettingStarted']);
    assert.deepEqual(steps.map((s) => s.id), ['tryDemo', 'createTicket', 'followToSucceeded', 'connectCloud', 'useCli']);
  });

  it('words every title and description in English and Simplified Chinese, with the same buttons in both', () => {
    const texts = [walkthroughs[0].title, walkthroughs[0].description, ...steps.flatMap((s) => [s.title, s.description])];
    for (const text of texts) {
      const key = nlsKey(text);
      for (const [language, strings] of Object.entries(languages)) assert.ok(strings[key]?.trim(), `package.nls ${language} lacks ${key}`);
      assert.deepEqual(commandLinks(languages['zh-cn'][key]), commandLinks(languages.en[key]), `${key}: the Chinese text's buttons differ`);
    }
  });

  it('gives every step a button that runs a command the extension has', () => {
    const known = new Set<string>([...Object.values(CommandIds), `${ViewIds.tickets}.focus`]);
    for (const step of steps) {
      const links = commandLinks(languages.en[nlsKey(step.description)]);
      assert.ok(links.length > 0, `${step.id} has no button`);
      for (const command of links) assert.ok(known.has(command), `${step.id}'s button runs ${command}, which is not the extension's`);
    }
  });

  it('completes each step on its own milestone, one the extension announces, never on a mere click', () => {
    const events = steps.map((step) => step.completionEvents ?? []);
    for (const [i, stepEvents] of events.entries()) assert.equal(stepEvents.length, 1, `${steps[i].id} completes on ${JSON.stringify(stepEvents)}`);
    assert.deepEqual(
      events.map(([event]) => event),
      [Milestones.demoOpened, Milestones.ticketSubmitted, Milestones.ticketSucceeded, Milestones.profileChecked, Milestones.cliGuideOpened].map((key) => `onContext:${key}`),
    );
  });

  it('has each step\'s page in English and in Chinese, showing pictures that exist and that the package ships', () => {
    assert.ok(read('.vscodeignore').split('\n').includes('!media/**'), '.vscodeignore no longer ships media/');
    for (const step of steps) {
      const english = step.media.markdown ?? assert.fail(`${step.id} has no markdown page`);
      assert.ok(english.startsWith('media/walkthrough/'), `${step.id}'s page is not under media/walkthrough/`);
      const chinese = localizedMarkdown(english, 'zh-cn');
      for (const page of [english, chinese]) assert.ok(existsSync(join(root, page)), `${page} is missing`);
      const [en, zh] = [read(english), read(chinese)];
      assert.deepEqual(pictures(zh).map((p) => p.path), pictures(en).map((p) => p.path), `${chinese} shows other pictures than ${english}`);
      assert.deepEqual(codeBlocks(zh), codeBlocks(en), `${chinese}'s commands differ from ${english}'s`);
      for (const { alt, path } of [...pictures(en), ...pictures(zh)]) {
        assert.ok(alt.trim(), `a picture of ${step.id} has no alt text`);
        assert.match(path, /\.png$/);
        assert.ok(existsSync(join(root, dirname(english), path)), `${step.id} shows ${path}, which is missing`);
      }
      assert.doesNotMatch(zh, /\b(the|and|your)\b/, `${chinese} reads as English`);
    }
  });

  it('keeps the pictures small enough for the package', () => {
    for (const step of steps) {
      for (const { path } of pictures(read(step.media.markdown!))) {
        const size = readFileSync(join(root, dirname(step.media.markdown!), path)).length;
        assert.ok(size < 150 * 1024, `${path} is ${Math.round(size / 1024)} KiB`);
      }
    }
  });

  it('opens the command line guide at a section the README has', () => {
    assert.ok(read('README.md').split('\n').includes(cliHeading), `README.md has no "${cliHeading}" heading`);
  });
});
