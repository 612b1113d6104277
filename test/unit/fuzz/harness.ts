import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { DbTicketsError, type ErrorKind } from '../../../src/core/errors';

/**
 * One fuzzed property: `runs` inputs in the unit tier, `benchShare` of the million inputs of `npm run bench:fuzz`.
 * `property` builds a fresh fast-check property (sync or async) each time it is run.
 */
export interface FuzzProperty {
  target: string;
  name: string;
  runs: number;
  benchShare: number;
  property: () => fc.IRawProperty<unknown[]>;
}

/** One input taking longer than this is taken for a hang; generous, as test machines are shared and noisy. */
export const perInputMs = 2000;

/** Fails an input that takes longer than `perInputMs`: a guard against infinite loops, not a benchmark. */
export function bounded<A extends unknown[]>(check: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    const started = performance.now();
    check(...args);
    const took = performance.now() - started;
    assert.ok(took < perInputMs, `one input took ${Math.round(took)} ms`);
  };
}

export function boundedAsync<A extends unknown[]>(check: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args) => {
    const started = performance.now();
    await check(...args);
    const took = performance.now() - started;
    assert.ok(took < perInputMs, `one input took ${Math.round(took)} ms`);
  };
}

/** Runs `work`; an exception must be a `DbTicketsError` of one of `kinds` with a message, anything else fails. */
export function throwsOnly<T>(kinds: readonly ErrorKind[], work: () => T): T | DbTicketsError {
  try {
    return work();
  } catch (error) {
    return typedError(kinds, error);
  }
}

export async function rejectsOnly<T>(kinds: readonly ErrorKind[], work: () => Promise<T>): Promise<T | DbTicketsError> {
  try {
    return await work();
  } catch (error) {
    return typedError(kinds, error);
  }
}

function typedError(kinds: readonly ErrorKind[], error: unknown): DbTicketsError {
  if (!(error instanceof DbTicketsError) || !kinds.includes(error.kind) || error.message.trim() === '') throw error;
  return error;
}

/** The seed from `DB_TICKETS_FUZZ_SEED`, to replay a run; fast-check picks one (and prints it on failure) otherwise. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown[]> {
  const seed = process.env.DB_TICKETS_FUZZ_SEED;
  if (seed === undefined || seed === '') return { numRuns };
  if (!/^-?\d+$/.test(seed)) throw new Error(`DB_TICKETS_FUZZ_SEED must be an integer, not ${JSON.stringify(seed)}`);
  return { numRuns, seed: Number(seed) };
}

/** Runs a property `numRuns` times; rejects with fast-check's report (seed and shrunk counterexample) on failure. */
export async function runProperty(property: FuzzProperty, numRuns: number): Promise<void> {
  await fc.assert(property.property(), fuzzParameters(numRuns));
}

/** Registers each property as a mocha test with its unit-tier run count. */
export function describeFuzz(properties: readonly FuzzProperty[]): void {
  for (const property of properties) {
    it(`${property.name} (${property.runs} inputs)`, () => runProperty(property, property.runs));
  }
}

/** Text that is hard on a parser: any code point, lone surrogates, NUL and other controls. */
export const anyText = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom('\0', '\uD800', '\uDFFF', '\uFEFF', '\u2028', '\r', '\n', '\t', ' ', 'a', '"', '\\', '𝄞'), maxLength }),
  );

/** A few long strings, so a parser that copies or scans them badly shows up as slow or huge output. */
export const hugeText = fc.constantFrom('x'.repeat(200_000), 'line\n'.repeat(40_000), '\uD800'.repeat(50_000), `${'é'.repeat(70_000)} \n`);
