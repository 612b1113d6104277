// Lint: typescript-eslint's recommended rules, the layering rule — only src/vscode and src/extension.ts may import
// 'vscode', so the core, network, backends, agent tools and CLI run in plain Node — and zod imported as a namespace only.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeFree = {
  'no-restricted-imports': [
    'error',
    {
      paths: [{ name: 'vscode', message: 'Only src/vscode and src/extension.ts may import vscode: keep this layer host-free.' }],
      patterns: [{ group: ['**/vscode/**', '../vscode', '../../vscode'], message: 'Do not import the VS Code layer from a host-free layer.' }],
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'out/', '.cache/', 'node_modules/', 'test-results/', 'demo/', 'media/details/codicons/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.cjs'], languageOptions: { globals: globals.node } },
  { files: ['media/**/*.js'], languageOptions: { globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } } },
  { files: ['**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // zod/mini's `z` is a namespace object: importing it by name keeps all of zod, every locale, in the bundles.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/zod$/] ImportSpecifier[imported.name='z']",
          message: "Import zod as a namespace (import * as z from '…/core/zod'): a named `z` keeps all of zod in the bundles.",
        },
      ],
    },
  },
  { files: ['src/core/**', 'src/net/**', 'src/backends/**', 'src/agentTools/**', 'src/cli/**'], rules: vscodeFree },
);
