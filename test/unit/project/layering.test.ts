import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');

async function lint(file: string, text: string) {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(text, { filePath: join(root, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
  for (const layer of ['src/core', 'src/net', 'src/backends/local', 'src/agentTools', 'src/cli']) {
    it(`${layer} may not import vscode`, async () => {
      const messages = await lint(`${layer}/example.ts`, "import * as vscode from 'vscode';\nexport const v = vscode.version;\n");
      assert.equal(messages.length, 1);
      assert.match(messages[0], /Only src\/vscode and src\/extension\.ts may import vscode/);
    });
  }

  it('src/core may not reach into the VS Code layer', async () => {
    const messages = await lint('src/core/example.ts', "import { log } from '../vscode/log';\nexport const l = log;\n");
    assert.equal(messages.length, 1);
  });

  it('src/vscode may import vscode', async () => {
    assert.deepEqual(await lint('src/vscode/example.ts', "import * as vscode from 'vscode';\nexport const v = vscode.version;\n"), []);
  });
});
