// How the cost of a function grows with its input, for the linearity tests and benchmarks.

/** The CPU time of one call, in ms: of this process only, so other processes on a shared machine do not count. */
export function cpuMs(call: () => void): number {
  const start = process.cpuUsage();
  call();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export interface Growth {
  /** The least time of each input, in ms. */
  ms: number[];
  /** The time's factor per doubling of the input: 2 when linear, 4 when quadratic. */
  perDoubling: number;
}

/**
 * Runs `call` on inputs that each double the one before, `runs` times in turn (all sizes in one round, so a slow moment
 * of the machine touches every size alike), keeps the least time of each, and fits log time to log size by least
 * squares: the slope over every size says more than the ends alone, which one collection of garbage can move.
 */
export function growthPerDoubling<T>(inputs: readonly T[], call: (input: T) => void, runs: number): Growth {
  const ms = inputs.map(() => Infinity);
  for (let run = 0; run < runs; run++) {
    inputs.forEach((input, i) => {
      ms[i] = Math.min(ms[i], cpuMs(() => call(input)));
    });
  }
  const xs = inputs.map((_, i) => i);
  const ys = ms.map((value) => Math.log2(Math.max(value, 0.01)));
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const slope = xs.reduce((sum, x, i) => sum + (x - meanX) * (ys[i] - meanY), 0) / xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  return { ms, perDoubling: 2 ** slope };
}
