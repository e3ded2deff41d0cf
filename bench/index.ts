/**
 * `npm run bench [-- <part> ...] [--json] [--engine simd|wasm|js]`: prints numbers and ratios; asserts
 * nothing about time. Parts: crypto (each rpi engine beside Node's AES-NI), matching (1M keys
 * through the built worker against a busy phone's log; --json prints one JSON line, --engine picks
 * what the worker may use), server (HTTP throughput on SQLite and MariaDB), fakes (can fake uploads
 * be told from real ones), cluster (three instances behind nginx against one instance).
 */
import { Command, Option } from 'commander';
import { runCryptoBench } from './crypto';
import { runServerBench } from './server';
import { runMatchingBench } from './matching';
import { runFakesBench } from './fakes';
import { runClusterBench } from './cluster';

interface Flags {
  json?: boolean;
  engine?: 'simd' | 'wasm' | 'js';
}

const PARTS: Record<string, (f: Flags) => Promise<unknown> | unknown> = {
  crypto: () => runCryptoBench(Number(process.env.BENCH_KEYS ?? 100_000)),
  matching: (f) => runMatchingBench(Number(process.env.BENCH_MATCH_KEYS ?? 1_000_000), { json: f.json, engine: f.engine }),
  server: () => runServerBench(),
  fakes: () => runFakesBench(),
  cluster: () => runClusterBench(),
};

async function main() {
  const program = new Command('bench')
    .argument('[parts...]', `parts to run (${Object.keys(PARTS).join(', ')}); all when none`)
    .option('--json', 'matching: one JSON line instead of the table')
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
