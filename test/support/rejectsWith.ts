import * as assert from 'node:assert/strict';
import { DbTicketsError } from '../../src/core/errors';

/** Asserts that `promise` rejects with a DbTicketsError of `kind` whose message matches `message`. */
export async function rejectsWith(promise: Promise<unknown>, kind: string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DbTicketsError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, message);
    return true;
  });
}
