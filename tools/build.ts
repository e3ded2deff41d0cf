/**
 * `npm run build -- <target...>`: every build of the repository, one entry point. Each target
 * writes into dist/ only; targets run one after another, in the order given (`all`: every one).
 *
 *   weapp   the WeChat mini-program (Taro) and its matching worker + WebAssembly → dist/weapp
 *   plugin  the WeChat plug-in and its host mini-program, with the worker → dist/weapp-plugin
 *   alipay  the Alipay mini-program (Taro) → dist/alipay
 *   cloud   the cloud functions, one deployable folder each → dist/cloud-functions
 *   venue   the /venue page's browser script → dist/venue/venue.js (`npm start` runs it first)
 *   bench   the benchmarks for plain node → dist/bench/index.cjs (`npm run bench` runs it first)
 *
 * `npm run build:weapp`, `build:plugin`, `build:alipay` and `build:cloud` are the same with one
 * target. Exit status 0 when every target was built, 1 when one failed (the rest are not started),
 * 2 for a usage error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument } from 'commander';
import { cliProgram, Negative, runProgram } from '../server/cli';
import { buildBench, buildVenueScript } from './build/bundles';
import { buildCloud } from './build/cloud';
import { taroBuild } from './build/taro';
import { buildWorker } from './build/worker';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** Each target: what it makes, and how (a line or more on what was written). */
const TARGETS = {
  weapp: async () => {
    await taroBuild('weapp');
    return buildWorker('dist/weapp');
  },
  plugin: async () => {
    await taroBuild('plugin');
    return buildWorker('dist/weapp-plugin/plugin');
  },
  alipay: async () => {
    await taroBuild('alipay');
    return 'alipay: dist/alipay';
  },
  cloud: buildCloud,
  venue: buildVenueScript,
  bench: buildBench,
} satisfies Record<string, () => Promise<string>>;

type Target = keyof typeof TARGETS;
const NAMES = Object.keys(TARGETS) as Target[];

/** The targets named, `all` expanded, each once, in the order first named. */
function targetsOf(names: string[]): Target[] {
  return [...new Set(names.flatMap((n) => (n === 'all' ? NAMES : [n as Target])))];
}

const program = cliProgram(
  'build',
  VERSION,
  'Builds the mini-programs, the cloud functions, the /venue page script and the benchmarks into dist/.',
  `\nTargets: ${NAMES.join(', ')}, or all.\nExample: npm run build -- weapp cloud`,
)
  .addArgument(new Argument('<targets...>', 'what to build').choices([...NAMES, 'all']))
  .action(async (names: string[]) => {
    for (const target of targetsOf(names)) {
      const started = Date.now();
      let made: string;
      try {
        made = await TARGETS[target]();
      } catch (e) {
        throw new Negative(`${target} failed: ${(e as Error).message}`);
      }
      process.stdout.write(`${made}\n${target}: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    }
  });

runProgram('build', program, process.argv.slice(2)).then((code) => process.exit(code));
