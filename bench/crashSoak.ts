// The unit tier's crash soak for longer: concurrent `db-tickets create` writers on one Local store, killed (SIGKILL)
// and paused (SIGSTOP/SIGCONT) at random; prints the figures and exits 1 if an acknowledged ticket was lost or an
// id used twice. Needs the bundle (`npm run build`).
//   node --import tsx bench/crashSoak.ts [--seconds 300] [--writers 6]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crashSoak, soakLine } from '../test/support/crashSoak';
import { runCli } from '../test/support/runCli';
import { printBenchRows } from './benchRows';

const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`crash soak: --${name} takes a positive whole number`);
    process.exit(2);
  }
  return value;
};
const seconds = option('seconds', 300);
const writers = option('writers', 6);

async function main(): Promise<number> {
  const home = mkdtempSync(join(tmpdir(), 'db-tickets-soak-'));
  const env = { HOME: home, XDG_DATA_HOME: join(home, 'data'), DB_TICKETS_USER: 'soak', DB_TICKETS_CONFIG: '', DB_TICKETS_STORE: join(home, 'store') };
  try {
    const seeded = await runCli(env, ['create', '--kind', 'export', '--db', 'demo', '--reason', 'soak', '--title', 'first'], 'SELECT 1 AS n;\n');
    if (seeded.code !== 0) throw new Error(`the first create failed: ${seeded.stderr}`);
    console.log(`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`);
    const figures = await crashSoak(env, writers, seconds * 1000);
    console.log(soakLine(figures));
    for (const exit of figures.badExits) console.log(`unexpected exit: ${exit}`);
    const what = `${seconds} s soak, ${writers} writers`;
    printBenchRows([
        { bench: 'crashSoak', what: `${what}: acknowledged tickets lost`, value: figures.lost, unit: 'count', target: '0', met: figures.lost === 0 },
        { bench: 'crashSoak', what: `${what}: ids used twice`, value: figures.duplicates, unit: 'count', target: '0', met: figures.duplicates === 0 },
      ]);
    return figures.lost === 0 && figures.duplicates === 0 && figures.badExits.length === 0 ? 0 : 1;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
