import * as assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { parse } from 'yaml';
import { cliSandbox } from '../../support/cliSandbox';
import { runCli } from '../../support/runCli';
import { parseXml } from '../../support/xmlTree';
import sarifSchema from '../../support/sarif/sarif-schema-2.1.0.json';

const root = join(__dirname, '..', '..', '..');
const script = join(root, 'examples', 'ci', 'db-tickets-ci.sh');
const cli = join(root, 'dist', 'cli.js');

/** Where the script writes, as the workflow files read it (the default of DB_TICKETS_CI_REPORTS). */
const sarifReport = 'db-tickets-reports/db-tickets.sarif';
const junitReport = 'db-tickets-reports/db-tickets-junit.xml';
const draftFile = 'db-tickets-reports/db-tickets-draft.sql';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The CI example of docs/ci.md for real: examples/ci/db-tickets-ci.sh, with the built `db-tickets` on PATH and the
 * Local backend's folder store, in a throwaway git repository whose change adds, changes and removes .sql files.
 */
describe('the CI example (examples/ci)', function () {
  this.timeout(180_000);
  let home: string;
  let repo: string;
  let env: NodeJS.ProcessEnv;
  let base: string;

  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  const write = (file: string, text: string) => {
    mkdirSync(join(repo, file, '..'), { recursive: true });
    writeFileSync(join(repo, file), text);
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };

  before(() => {
    env = cliSandbox();
    home = env.HOME!;
    // `db-tickets` as CI installs it, and the node the script reads JSON with.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'db-tickets'), `#!/bin/sh\nexec '${process.execPath.replace(/'/g, "'\\''")}' '${cli.replace(/'/g, "'\\''")}' "$@"\n`, { mode: 0o755 });
    symlinkSync(process.execPath, join(bin, 'node'));
    Object.assign(env, {
      PATH: `${bin}:${process.env.PATH}`,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      GITHUB_ACTIONS: '',
      GITHUB_OUTPUT: '',
    });
    repo = join(home, 'repo with space');
    mkdirSync(repo);
    git('init', '-q', '-b', 'main');
    write('db/001 legacy.sql', 'DROP TABLE legacy;\n');
    write('db/002 old.sql', 'CREATE TABLE old_t (id int);\n');
    write('README.md', 'shop\n');
    write('.gitignore', 'db-tickets-reports/\n');
    commit('base');
    base = git('rev-parse', 'HEAD');
    env.DB_TICKETS_CI_BASE = base;
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  function start(step: 'analyze' | 'ticket', extra: NodeJS.ProcessEnv = {}): { child: ChildProcess; output: () => string; done: Promise<Run> } {
    const child = spawn('bash', [script, step], { cwd: repo, env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const done = new Promise<Run>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    return { child, output: () => stdout, done };
  }

  describe('analyze', () => {
    const added = 'db/003 add note,col:50%.sql';
    const grants = 'db/004 grants ü.sql';
    before(() => {
      git('checkout', '-q', '-b', 'review', base);
      write(added, '-- a column for notes\nALTER TABLE customers ADD COLUMN note TEXT;\n');
      write(grants, 'GRANT ALL ON customers TO app;\n');
      write('README.md', 'shop, with notes\n');
      rmSync(join(repo, 'db/002 old.sql'));
      commit('notes');
    });

    it('annotates the changed .sql files only, and writes SARIF and JUnit reports of them', async () => {
      const run = await start('analyze', { GITHUB_ACTIONS: 'true' }).done;
      assert.equal(run.code, 0, run.stderr + run.stdout);
      const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
      assert.deepEqual(annotations, ['::warning file=db/004 grants ü.sql,line=1,col=1,endColumn=29,title=db-tickets grant-all::GRANT ALL gives every privilege on the object, including dropping and altering it: grant only the privileges needed, e.g. SELECT, INSERT.']);
      assert.doesNotMatch(run.stdout, /legacy|old\.sql|README/, 'unchanged and removed files are not analyzed');

      const sarif = JSON.parse(readFileSync(join(repo, sarifReport), 'utf8')) as Log;
      const ajv = new AjvDraft04();
      addFormats(ajv);
      assert.ok(ajv.validate(sarifSchema, sarif), ajv.errorsText());
      assert.deepEqual(sarif.runs[0].results!.map((r) => decodeURIComponent(r.locations![0].physicalLocation!.artifactLocation!.uri!)), [grants]);
      const junit = parseXml(readFileSync(join(repo, junitReport), 'utf8'));
      assert.deepEqual(junit.children.map((suite) => suite.attributes.name), [added, grants]);
    });

    it('fails on a risk of severity error in a changed file, naming it in the log', async () => {
      git('checkout', '-q', '-b', 'risky');
      write('db/005 cleanup.sql', 'DELETE FROM orders;\n');
      commit('cleanup');
      try {
        const run = await start('analyze').done;
        assert.equal(run.code, 1, run.stderr + run.stdout);
        assert.match(run.stderr, /^db\/005 cleanup\.sql:1: error \[delete-without-where\] /m);
        assert.doesNotMatch(run.stderr, /legacy/);
      } finally {
        git('checkout', '-q', 'review');
      }
    });

    it('stops with exit 2 when the base commit is not in the clone, or the step is unknown', async () => {
      const shallow = await start('analyze', { DB_TICKETS_CI_BASE: 'f'.repeat(40) }).done;
      assert.equal(shallow.code, 2);
      assert.equal(shallow.stderr, `db-tickets-ci: the base commit ${'f'.repeat(40)} is not in this clone: fetch the whole history (GitHub: fetch-depth: 0; GitLab: GIT_DEPTH: 0).\n`);
      const child = spawn('bash', [script, 'deploy'], { cwd: repo, env: { ...process.env, ...env } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => child.on('close', resolve));
      assert.equal(code, 2);
      assert.equal(stderr, 'db-tickets-ci: unknown step "deploy": use analyze or ticket.\n');
    });

    it('does nothing when no .sql file changed', async () => {
      git('checkout', '-q', '-b', 'docs', base);
      write('README.md', 'docs only\n');
      commit('docs');
      const run = await start('analyze').done;
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /no \.sql file changed since [0-9a-f]{40}: nothing to do/);
    });
  });

  describe('ticket', () => {
    const dba = () => ({ ...env, DB_TICKETS_USER: 'dba' });
    const ticketEnv = (key: string) => ({ DB_TICKETS_CI_KEY: key, DB_TICKETS_CI_DATABASE: 'demo', DB_TICKETS_CI_REASON: 'Notes on customers', DB_TICKETS_CI_INTERVAL: '1' });
    before(() => {
      git('checkout', '-q', '-b', 'schema', base);
      write('db/003 add note,col:50%.sql', 'ALTER TABLE customers ADD COLUMN note TEXT;\n');
      write('db/010 index.sql', 'CREATE INDEX customers_country ON customers (country)');
      commit('schema change');
    });
    afterEach(() => {
      if (existsSync(join(repo, draftFile))) unlinkSync(join(repo, draftFile));
    });

    /**
     * Runs the ticket step until it watches its ticket pending approval (the script prints nothing else of that state),
     * then does `decide` to the ticket from another process while the job waits.
     */
    async function fileAndDecide(key: string, decide: (id: string) => Promise<void>, extra: NodeJS.ProcessEnv = {}): Promise<Run & { id: string }> {
      const job = start('ticket', { ...ticketEnv(key), ...extra });
      for (let waited = 0; !/— pending approval/.test(job.output()) && waited < 60_000 && job.child.exitCode === null; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const id = /ticket #(\S+) holds the change/.exec(job.output())?.[1];
      assert.ok(id && /— pending approval/.test(job.output()), `the job names its ticket and waits on it: ${job.output()}`);
      assert.equal(job.child.exitCode, null, 'the job is still waiting');
      await decide(id);
      return { ...(await job.done), id };
    }

    async function act(action: string, id: string): Promise<void> {
      const run = await runCli(dba(), [action, id, '--comment', `${action} in review`]);
      assert.equal(run.code, 0, run.stderr);
    }

    it('files one ticket per run id, waits for its approval and passes; a re-run finds the same ticket', async () => {
      const first = await fileAndDecide('run-1', (id) => act('approve', id));
      assert.equal(first.code, 0, first.stderr + first.stdout);
      assert.match(first.stdout, /— approved/);
      const draft = readFileSync(join(repo, draftFile), 'utf8');
      assert.match(draft, /^-- Kind: SCHEMA_CHANGE\b/m);
      assert.match(draft, /^-- Draft id: run-1$/m);
      assert.match(draft, /^-- db\/003 add note,col:50%\.sql\nALTER TABLE customers ADD COLUMN note TEXT;\n[\s\S]*^-- db\/010 index\.sql\nCREATE INDEX customers_country ON customers \(country\)$/m);

      const again = await start('ticket', ticketEnv('run-1')).done;
      assert.equal(again.code, 0, again.stderr + again.stdout);
      assert.match(again.stdout, new RegExp(`ticket #${first.id} holds the change`));
      const listed = JSON.parse((await runCli(env, ['--json', 'list'])).stdout) as { items: Array<{ id: string }> };
      assert.deepEqual(listed.items.map((t) => t.id), [first.id]);
    });

    it('fails the job when the ticket is rejected while it waits', async () => {
      const rejected = await fileAndDecide('run-2', (id) => act('reject', id));
      assert.equal(rejected.code, 1, rejected.stderr + rejected.stdout);
      assert.match(rejected.stdout, /— rejected/);
      const listed = JSON.parse((await runCli(env, ['--json', 'list'])).stdout) as { items: Array<{ id: string }> };
      assert.equal(listed.items.length, 2, 'a new run id, a new ticket');
    });

    it('with DB_TICKETS_CI_UNTIL=done waits until the change is executed', async () => {
      const executed = await fileAndDecide(
        'run-3',
        async (id) => {
          await act('approve', id);
          const run = await runCli(dba(), ['execute', id]);
          assert.equal(run.code, 0, run.stderr);
        },
        { DB_TICKETS_CI_UNTIL: 'done' },
      );
      assert.equal(executed.code, 0, executed.stderr + executed.stdout);
      assert.match(executed.stdout, /— succeeded/);
    });

    it('says which setting is missing, with exit 2', async () => {
      const run = await start('ticket', { DB_TICKETS_CI_DATABASE: 'demo', DB_TICKETS_CI_REASON: 'r' }).done;
      assert.equal(run.code, 2);
      assert.match(run.stderr, /DB_TICKETS_CI_KEY is not set: set it to the pipeline run's id/);
    });
  });

  describe('the workflow files', () => {
    it('GitHub Actions: analyzes, uploads the SARIF report, files and waits on the ticket, all through the script', () => {
      const workflow = parse(readFileSync(join(root, 'examples', 'ci', 'github-actions.yml'), 'utf8'));
      const steps = (job: string) => workflow.jobs[job].steps as Array<{ run?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string> }>;
      assert.deepEqual(steps('analyze').filter((s) => s.run?.includes('db-tickets-ci.sh')).map((s) => s.run), ['bash examples/ci/db-tickets-ci.sh analyze']);
      const upload = steps('analyze').find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
      assert.equal(upload?.with?.sarif_file, sarifReport);
      assert.equal(workflow.jobs.analyze.permissions['security-events'], 'write');
      const ticket = steps('ticket').find((s) => s.run?.includes('db-tickets-ci.sh'));
      assert.equal(ticket?.run, 'bash examples/ci/db-tickets-ci.sh ticket');
      assert.match(ticket!.env!.DB_TICKETS_CI_KEY, /\$\{\{ github\.run_id \}\}/);
      assert.deepEqual(workflow.jobs.ticket.needs, 'analyze');
      assert.equal(workflow.env.DB_TICKETS_CI_BASE, '${{ github.event.pull_request.base.sha }}');
      assert.equal(steps('analyze')[0].with?.['fetch-depth'], 0);
    });

    it('GitLab CI: analyzes into a JUnit report, files and waits on the ticket, all through the script', () => {
      const pipeline = parse(readFileSync(join(root, 'examples', 'ci', 'gitlab-ci.yml'), 'utf8'));
      const analyze = pipeline['db-tickets:analyze'];
      assert.deepEqual(analyze.script, ['bash examples/ci/db-tickets-ci.sh analyze']);
      assert.equal(analyze.artifacts.reports.junit, junitReport);
      assert.equal(analyze.artifacts.when, 'always');
      const ticket = pipeline['db-tickets:ticket'];
      assert.deepEqual(ticket.script, ['bash examples/ci/db-tickets-ci.sh ticket']);
      assert.match(ticket.variables.DB_TICKETS_CI_KEY, /\$CI_PIPELINE_ID/);
      assert.deepEqual(pipeline.stages, ['analyze', 'ticket']);
      assert.equal(pipeline.variables.DB_TICKETS_CI_BASE, '$CI_MERGE_REQUEST_DIFF_BASE_SHA');
      assert.equal(pipeline.variables.GIT_DEPTH, 0);
    });
  });
});
