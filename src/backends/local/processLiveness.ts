import { hostname } from 'node:os';

/**
 * Whether the process `pid` of `host` is known to be gone: only a process of this computer can be checked, so one of
 * another computer is never taken for gone.
 */
export function processGone(host: string, pid: number): boolean {
  if (host !== hostname() || !Number.isInteger(pid)) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
