import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

describe('npm run test:desktop', () => {
  it('fails fast with a clear message when desktop VS Code cannot be downloaded', function () {
    this.timeout(150_000); // it builds the project first, which alone can take half a minute on a busy machine
    // A proxy on a closed loopback port makes the download impossible on any machine, online or not.
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'test-desktop.mjs')], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, npm_config_https_proxy: 'http://127.0.0.1:9', npm_config_proxy: 'http://127.0.0.1:9', DB_TICKETS_VSCODE_VERSION: '1.95.3' },
      timeout: 120_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /desktop VS Code could not be downloaded \(ECONNREFUSED: the VS Code update service is unreachable from this machine\)/);
    assert.match(result.stderr, /Run `npm test` instead/);
  });
});
