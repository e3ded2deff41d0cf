/**
 * `npm run bench [-- <part> ...] [--json] [--engine simd|wasm|js]`: prints numbers and ratios; asserts
 * nothing about time. Parts: crypto (each rpi engine beside Node's AES-NI), matching (1M keys
 * through the built worker against a busy phone's log; --json prints one JSON line, --engine picks
 * what the worker may use), server (HTTP throughput on SQLite and MariaDB), fakes (can fake uploads
 * be told from real ones), cluster (three instances behind nginx against one instance), coverage
 * (a seeded day of 200 phones running the real device: the share of contacts recorded per usage
 * profile and platform pair; --json one line, --phones and --seed change the day), scale (a
 * China-sized wave over the regions of §15: bytes and matching seconds per phone a day, the CDN's
 * load; --json one line, --seed n), transfer (moving to a new phone, §17: frames and bytes of 14
 * days of a busy phone, a commuter's and a full log).
 */
import { Command, Option } from 'commander';
import { runCryptoBench } from './crypto';
import { runServerBench } from './server';
import { runMatchingBench } from './matching';
import { runFakesBench } from './fakes';
import { runClusterBench } from './cluster';
import { runCoverageBench } from './coverage';
import { runScaleBench } from './scale';
import { runTransferBench } from './transfer';

interface Flags {
  json?: boolean;
  engine?: 'simd' | 'wasm' | 'js';
  phones?: string;
  seed?: string;
}

const PARTS: Record<string, (f: Flags) => Promise<unknown> | unknown> = {
  crypto: () => runCryptoBench(Number(process.env.BENCH_KEYS ?? 100_000)),
  matching: (f) => runMatchingBench(Number(process.env.BENCH_MATCH_KEYS ?? 1_000_000), { json: f.json, engine: f.engine }),
  server: () => runServerBench(),
  fakes: () => runFakesBench(),
  cluster: () => runClusterBench(),
  coverage: (f) =>
    runCoverageBench({ phones: Number(f.phones ?? 200), seed: f.seed ?? 'prtc-day-1', json: Boolean(f.json), iosShare: 0.25 }),
  scale: (f) => {
    const seed = f.seed === undefined ? undefined : Number(f.seed);
    if (seed !== undefined && !Number.isInteger(seed)) throw new Error('scale: --seed must be an integer');
    return runScaleBench({ json: f.json, seed });
  },
  transfer: () => runTransferBench(),
};

async function main() {
  const program = new Command('bench')
    .argument('[parts...]', `parts to run (${Object.keys(PARTS).join(', ')}); all when none`)
    .option('--json', 'matching, coverage, scale: one JSON line instead of the table')
    .option('--phones <n>', 'coverage: how many phones (default 200)')
    .option('--seed <text>', 'coverage: the seed of the day (default prtc-day-1); scale: a number, the seed of the wave (default 1)')
    .addOption(new Option('--engine <name>', 'matching: the engine the worker may use').choices(['simd', 'wasm', 'js']))
    .parse();
  const wanted = program.args;
  const flags = program.opts<Flags>();
  for (const name of wanted) if (!PARTS[name]) throw new Error(`unknown bench part "${name}" (parts: ${Object.keys(PARTS).join(', ')})`);
  for (const name of wanted.length ? wanted : Object.keys(PARTS)) {
    await PARTS[name](flags);
    if (!flags.json) console.log('');
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
