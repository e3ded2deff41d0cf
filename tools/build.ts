/**
 * `npm run build -- <target...>`: every build of the repository, one entry point. Each target
 * writes into dist/ only; targets run one after another, in the order given (`all`: every one).
 *
 *   weapp   the WeChat mini-program (Taro) and its matching worker + WebAssembly → dist/weapp
 *   plugin  the WeChat plug-in and its host mini-program, with the worker → dist/weapp-plugin
 *   alipay  the Alipay mini-program (Taro) → dist/alipay
 *   h5      the same pages for the browser (Taro's H5 platform), with the matching worker → dist/h5
 *   playground  the playground's page and script (testkit's handset for the browser) → dist/playground
 *   cloud   the cloud functions, one deployable folder each → dist/cloud-functions
 *   venue   the /venue page's browser script → dist/venue/venue.js (`npm start` runs it first)
 *   bench   the benchmarks for plain node → dist/bench/index.cjs (`npm run bench` runs it first)
 *
 * `npm run build:weapp`, `build:plugin`, `build:alipay`, `build:h5` and `build:cloud` are the same with one
 * target. Exit status 0 when every target was built, 1 when one failed (the rest are not started),
 * 2 for a usage error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argument } from 'commander';
import { cliProgram, Negative, runProgram } from '../server/cli';
import { buildBench, buildPlayground, buildVenueScript } from './build/bundles';
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
  h5: async () => {
    await taroBuild('h5');
    // Taro logs a postcss plug-in it cannot load and builds on without it (postcss.h5.js,
    // getPostcssPlugins): without tools/build/postcss-h5-page.js the dark theme would not show
    const css = join(__dirname, '..', 'dist/h5/css/app.css');
    if (!existsSync(css) || !readFileSync(css, 'utf8').includes('.taro_router > .taro_page'))
      throw new Error("dist/h5/css/app.css lacks app.css's page rules (tools/build/postcss-h5-page.js did not run)");
    // the playground runs the built matching worker in a Web Worker, as WeChat runs it (host/index.h5.ts)
    return `h5: dist/h5\n${await buildWorker('dist/h5')}`;
  },
  playground: buildPlayground,
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
