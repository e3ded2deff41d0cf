/**
 * `npm run playground [-- --phones <n>] [--language <lang…>] [--port <n>] [--start <time>] [--seed <text>] [--rebuild]`:
 * the mini-program's pages in a browser, N phones side by side on one simulated world, a gate, a
 * clinic and a key server on a temporary database. Prints the URL; Ctrl-C ends everything it
 * started (both servers, the temporary folder).
 *
 * It builds what the page needs when it is missing (`npm run build -- h5 playground`); after
 * changing the app, `--rebuild` builds it again.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { cliProgram, runProgram, uint, UsageError } from '../../server/cli';
import type { Language } from '../../miniprogram/host/types';
import { MAX_PHONES, missingBuilds, ROOT, startPlayground } from './run';

/** WeChat's languages the app speaks (host/types.ts languageOf). */
const LANGUAGES: readonly Language[] = ['zh_CN', 'zh_TW', 'zh_HK', 'en'];

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function build(targets: string[]): void {
  if (!targets.length) return;
  process.stdout.write(`building ${targets.join(' ')} (npm run build -- ${targets.join(' ')})…\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/build.ts'), ...targets], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new UsageError(`the build failed (npm run build -- ${targets.join(' ')})`);
}

const program = cliProgram(
  'playground',
  VERSION,
  'Serves the mini-program (its H5 build) as N phones side by side on one simulated world, with a key server on a temporary database.',
  '\nExample: npm run playground -- --phones 6 --language zh_CN en',
)
  .addOption(new Option('--phones <n>', `phones side by side (1 to ${MAX_PHONES})`).default('4'))
  .addOption(new Option('--language <lang...>', 'each phone’s WeChat language, in turn').choices([...LANGUAGES]).default(['zh_CN', 'en']))
  .addOption(new Option('--port <n>', 'the port to serve on (0: any free one)').default('5180'))
  .addOption(new Option('--host <address>', 'the address to serve on').default('127.0.0.1'))
  .addOption(new Option('--start <time>', 'when the simulated world starts (ISO 8601; default: now)'))
  .addOption(new Option('--seed <text>', 'the same seed gives every phone the same secrets, run after run'))
  .addOption(new Option('--rebuild', 'build the H5 app again first (after changing it)'))
  .action(
    async (o: { phones: string; language: Language[]; port: string; host: string; start?: string; seed?: string; rebuild?: boolean }) => {
      const phones = uint(o.phones, 'phones');
      if (phones < 1 || phones > MAX_PHONES) throw new UsageError(`--phones must be 1 to ${MAX_PHONES}`);
      const startMs = o.start === undefined ? Date.now() : Date.parse(o.start);
      if (!Number.isFinite(startMs)) throw new UsageError(`--start: "${o.start}" is not a time (e.g. 2026-11-23T09:00+08:00)`);
      build(o.rebuild ? ['h5', 'playground'] : ['playground', ...missingBuilds().filter((t) => t !== 'playground')]);
      const pg = await startPlayground({ phones, languages: o.language, startMs, seed: o.seed, host: o.host, port: uint(o.port, 'port') });
      process.stdout.write(`playground: ${pg.url}  (${phones} phones and a gate; a key server on a temporary database in ${pg.dataDir})\n`);
      process.stdout.write('Ctrl-C stops it and deletes the temporary database.\n');
      await new Promise<void>((resolve) => {
        const end = () => {
          process.stdout.write('\nstopping…\n');
          void pg.stop().then(resolve);
        };
        process.once('SIGINT', end);
        process.once('SIGTERM', end);
      });
    },
  );

runProgram('playground', program, process.argv.slice(2)).then((code) => process.exit(code));
