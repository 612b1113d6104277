import type { Progress } from '../core/backend/backend';
import { colourOn, paint, terminalSafe } from './terminalText';

/** What a progress line counts: rows of an export, or bytes of a download. */
export type ProgressUnit = 'rows' | 'bytes';

/**
 * One status line on a terminal's standard error, redrawn in place (what, how much, how long) and erased when the
 * work ends; standard output is left alone. `progressLine` gives none when standard error is not a terminal, so
 * nothing of it reaches a pipe or a file.
 */
export class ProgressLine {
  private readonly started = Date.now();
  private readonly ticker: NodeJS.Timeout;
  private last: Progress = {};
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly unit: ProgressUnit,
    private readonly colour: boolean,
  ) {
    // The elapsed time keeps moving while nothing else does.
    this.ticker = setInterval(() => this.draw(), 1_000).unref();
  }

  update(progress: Progress): void {
    this.last = { ...this.last, ...progress };
    this.draw();
  }

  /** Erases the line, e.g. before other output; the next update draws it again. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  end(): void {
    clearInterval(this.ticker);
    this.clear();
  }

  private draw(): void {
    const { message = 'Working', done, total } = this.last;
    const parts = [terminalSafe(message)];
    if (done !== undefined) parts.push(total ? `${amount(done, this.unit)} of ${amount(total, this.unit)}` : amount(done, this.unit));
    parts.push(paint(this.colour, 'dim', elapsed(Date.now() - this.started)));
    const width = Math.max((this.stream.columns || 80) - 1, 20);
    const line = parts.join('  ');
    // Cut to the terminal's width (escape codes aside) so the line never wraps and \r returns to its start.
    const visible = line.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex -- colour codes take no room
    this.stream.write(`\r${visible.length > width ? `${visible.slice(0, width - 1)}…` : line}\x1b[K`);
    this.drawn = true;
  }
}

/** A progress line for `unit`, or none when standard error is not a terminal. */
export function progressLine(unit: ProgressUnit, stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): ProgressLine | undefined {
  return stream.isTTY ? new ProgressLine(stream, unit, colourOn(stream, env)) : undefined;
}

/** `1234 rows`, `512 B`, `3.4 MiB`. */
export function amount(n: number, unit: ProgressUnit): string {
  if (unit === 'rows') return `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let i = 0;
  for (; value >= 1024 && i < units.length - 1; i++) value /= 1024;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[i]}`;
}

/** `7s`, `2m05s`, `1h02m`. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** Runs `work` with a progress line (on a terminal) that starts with `message` and is erased when the work ends. */
export async function withProgress<T>(unit: ProgressUnit, message: string, work: (line: ProgressLine | undefined) => Promise<T>): Promise<T> {
  const line = progressLine(unit);
  line?.update({ message });
  try {
    return await work(line);
  } finally {
    line?.end();
  }
}
