import Mocha from 'mocha';

/** The conformance suite of a test (`conformance: <backend>`), if it belongs to one. */
function conformanceOf(test: Mocha.Runnable): string | undefined {
  for (let suite: Mocha.Suite | undefined = test.parent; suite; suite = suite.parent) {
    const match = /^conformance: (.+)$/.exec(suite.title);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * Mocha's spec reporter plus one closing line per tier, `<tier>: N passed, N failed`, which the test
 * command adds up into the run's closing line. Before it, one line per backend that ran the conformance suite
 * (`conformance · dms: 10 passed, 0 failed`).
 */
export class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const tier = (options.reporterOptions as { tier?: string } | undefined)?.tier ?? process.env.DB_TICKETS_TIER ?? 'tests';
    const backends = new Map<string, { passed: number; failed: number }>();
    const count = (test: Mocha.Runnable, outcome: 'passed' | 'failed') => {
      const backend = conformanceOf(test);
      if (!backend) return;
      const counts = backends.get(backend) ?? { passed: 0, failed: 0 };
      counts[outcome] += 1;
      backends.set(backend, counts);
    };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => count(test, 'passed'));
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test) => count(test, 'failed'));
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      for (const [backend, { passed, failed }] of backends) console.log(`conformance · ${backend}: ${passed} passed, ${failed} failed`);
      const { passes, failures } = runner.stats ?? { passes: 0, failures: 0 };
      console.log(`${tier}: ${passes} passed, ${failures} failed`);
    });
  }
}
