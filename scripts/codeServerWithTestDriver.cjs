// Starts a code-server older than --vscode-option (before 4.100), which rejects any flag it does not model, with
// VS Code's --enable-smoke-test-driver (the switch that makes the workbench honour a test payload) accepted:
// the flag is added to code-server's option table, then code-server's entry runs as if started directly.
// Usage: node codeServerWithTestDriver.cjs <code-server>/out/node/entry.js [code-server's arguments]
const { dirname, join } = require('node:path');

process.argv.splice(1, 1); // [node, entry.js, ...arguments], as code-server expects
const entry = process.argv[1];
const cli = require(join(dirname(entry), 'cli.js'));
cli.options['enable-smoke-test-driver'] ??= { type: 'boolean', description: "Honour the workbench's test payload (VS Code's smoke-test driver)." };
require(entry);
