'use strict';
// VS Code loads an extension's main file as CommonJS. The extension is an ES module (extension.mjs) whose chunks
// it shares with the CLI; what activation does not need (backends, drivers, the HTTP stack) loads on first use.
let extension;

exports.activate = async function activate(context) {
  extension = await import('./extension.mjs');
  return extension.activate(context);
};

exports.deactivate = function deactivate() {
  return extension?.deactivate();
};
