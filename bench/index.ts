/**
 * `npm run bench [-- <part> ...]`: prints numbers and ratios; asserts nothing about time.
 * Parts: crypto (rpi derivation), matching (1M keys against a busy phone's log), server (HTTP
 * throughput on SQLite and MariaDB), fakes (can fake uploads be told from real ones), cluster (three
 * instances behind nginx against one instance).
 */
import { runCryptoBench } from './crypto';
import { runServerBench } from './server';
import { runMatchingBench } from './matching';
import { runFakesBench } from './fakes';
import { runClusterBench } from './cluster';

const PARTS: Record<string, () => Promise<unknown> | unknown> = {
  crypto: () => runCryptoBench(Number(process.env.BENCH_KEYS ?? 100_000)),
  matching: () => runMatchingBench(Number(process.env.BENCH_MATCH_KEYS ?? 1_000_000)),
  server: () => runServerBench(),
  fakes: () => runFakesBench(),
  cluster: () => runClusterBench(),
};

async function main() {
  const wanted = process.argv.slice(2);
  for (const name of wanted) if (!PARTS[name]) throw new Error(`unknown bench part "${name}" (parts: ${Object.keys(PARTS).join(', ')})`);
  for (const name of wanted.length ? wanted : Object.keys(PARTS)) {
    await PARTS[name]();
    console.log('');
  }
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
