'use strict';
// Loaded by the real VS Code extension host as the "tests" of a window (extensionTestsPath): once the window's own
// start-up has settled, it activates each extension named in probe.json beside it, timing every activation, writes the
// figures to the file probe.json names, and returns, which closes the window. A profiled window profiles each
// activation, and for DB Tickets first imports its ES module on its own (timed apart: the cost of loading the code).
const vscode = require('vscode');
const { Session } = require('node:inspector');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

/** CPU time of the extension host's main thread (Node ≥ 23.9), else of its whole process, in ms. */
function cpuMs() {
  const { user, system } = process.threadCpuUsage ? process.threadCpuUsage() : process.cpuUsage();
  return (user + system) / 1000;
}

async function timed(work) {
  const cpu = cpuMs();
  const start = performance.now();
  await work();
  return { ms: performance.now() - start, cpuMs: cpuMs() - cpu };
}

exports.run = async function run() {
  const { ids, out, profile, settleMs } = JSON.parse(readFileSync(join(__dirname, 'probe.json'), 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const session = new Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  const results = {};
  for (const id of ids) {
    const extension = vscode.extensions.getExtension(id);
    if (!extension) throw new Error(`The extension ${id} is not installed in this window.`);
    if (extension.isActive) throw new Error(`The extension ${id} was already active: its activation cannot be measured.`);
    if (!profile) {
      results[id] = await timed(() => extension.activate());
      continue;
    }
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 250 });
    await post('Profiler.start');
    const esm = join(extension.extensionPath, 'dist', 'extension.mjs');
    const load = existsSync(esm) ? await timed(() => import(pathToFileURL(esm).href)) : undefined;
    const activation = await timed(() => extension.activate());
    results[id] = { ...activation, load, profile: (await post('Profiler.stop')).profile };
  }
  session.disconnect();
  writeFileSync(out, JSON.stringify(results));
};
