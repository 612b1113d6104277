// Entry point the VS Code extension host loads (extensionTestsPath): runs every *.test.js beside it.
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CountingReporter } from '../support/countingReporter';
import { failureReport } from './failureReport';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: CountingReporter, reporterOptions: { tier: process.env.DB_TICKETS_TIER ?? 'integration' }, rootHooks: failureReport });
  // Runs only the tests whose full title matches, e.g. DB_TICKETS_TEST_GREP='precheck' npm test -- integration.
  if (process.env.DB_TICKETS_TEST_GREP) mocha.grep(process.env.DB_TICKETS_TEST_GREP);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  console.log('--- db-tickets tests start ---');
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log('--- db-tickets tests end ---');
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
