// What the private test servers (PostgreSQL, MariaDB) share: a free loopback port, waiting for readiness,
// stopping, never outliving the test process, and one server per run handed to the suites that ask for it.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';

/**
 * A server started on first use and shared by every suite of the run; a root `after` hook stops it.
 * In a suite: `const server = use();` then `server()` inside tests.
 */
export function oncePerRun<T extends { stop(): Promise<void> }>(name: string, start: () => Promise<T>): { shared: () => Promise<T>; use: () => () => T } {
  let started: Promise<T> | undefined;
  const shared = () => (started ??= start());
  if (typeof after === 'function') {
    after(async () => {
      if (started) await (await started.catch(() => undefined))?.stop();
    });
  }
  const use = () => {
    let server: T | undefined;
    before(async function () {
      this.timeout(120_000);
      server = await shared();
    });
    return () => {
      if (!server) throw new Error(`The ${name} test server is not started: call its use function inside a describe block.`);
      return server;
    };
  };
  return { shared, use };
}

/**
 * Where a test database server keeps its files. Inside the VS Code sandbox the temp folder lies in a private home
 * that the database's own system user cannot enter, so the sandbox passes on the outer one.
 */
export function serverTempRoot(): string {
  return process.env.DB_TICKETS_SERVER_TMPDIR || tmpdir();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitUntilReady(child: ChildProcess, log: () => string, probe: () => Promise<unknown>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The test server exited during start-up:\n${log()}`);
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`The test server was not ready after ${timeoutMs / 1000} s (${String(error)}):\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Kills the server if this process exits or is interrupted before the suite's `after` hook stops it.
 * A signal is passed on once the server is down, unless someone else (mocha) handles it. Returns the undo.
 */
export function killOnExit(child: ChildProcess, signal: NodeJS.Signals): () => void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const onSignal = (received: NodeJS.Signals) => {
    kill();
    forget();
    if (process.listenerCount(received) === 0) process.kill(process.pid, received);
  };
  const forget = () => {
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.once('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return forget;
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}
