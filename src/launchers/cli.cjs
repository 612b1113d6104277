#!/usr/bin/env node
'use strict';
// The `db-tickets` command: the CLI is an ES module (cli.mjs) whose chunks it shares with the extension.
import('./cli.mjs').catch((error) => {
  process.stderr.write(`db-tickets: could not start: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
