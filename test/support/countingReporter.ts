import Mocha from 'mocha';

/**
 * Mocha's spec reporter plus one closing line per tier, `<tier>: N passed, N failed`, which the test
 * command adds up into the run's closing line.
 */
export class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const tier = (options.reporterOptions as { tier?: string } | undefined)?.tier ?? process.env.DB_TICKETS_TIER ?? 'tests';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const { passes, failures } = runner.stats ?? { passes: 0, failures: 0 };
      console.log(`${tier}: ${passes} passed, ${failures} failed`);
    });
  }
}
