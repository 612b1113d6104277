import { FakeZStack, type FakeZStackOptions } from './fakeZStack';

export { FakeZStack, type FakeZStackOptions, type RecordedRequest } from './fakeZStack';
export type { Fault, FaultKind, Operation } from './faults';
export { DB_CHANGE_API, UNTYPED_APIS, VM_CREATE_API, WORLD } from './world';
export { sha512Hex } from './identities';

/** A started fake ZStack (the default world unless options say otherwise). */
export async function startFakeZStack(options?: FakeZStackOptions): Promise<FakeZStack> {
  const fake = new FakeZStack(options);
  await fake.start();
  return fake;
}

/** For a suite: a fresh fake ZStack for each test, stopped after it. */
export function useFakeZStack(options?: FakeZStackOptions): () => FakeZStack {
  let fake: FakeZStack | undefined;
  beforeEach(async () => {
    fake = await startFakeZStack(options);
  });
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });
  return () => fake!;
}
