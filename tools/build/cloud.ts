/**
 * The `cloud` target of tools/build.ts (`npm run build:cloud`): one deployable folder per cloud function in dist/cloud-functions/<name>/,
 * as WeChat's cloud receives it (DevTools uploads the folders under `cloudfunctionRoot` and the
 * cloud installs what each package.json declares):
 * - index.js: the function and everything of this repository it uses, bundled;
 * - package.json: what the bundle loads at run time and the cloud must install — `mysql2`, which
 *   TypeORM loads by name (`PlatformTools.load`), so no bundler sees it; and `wx-server-sdk`, with
 *   which the timer functions read the caller's context (every function declares it, as WeChat's
 *   own templates do: the bundles share one adapter). Exact versions, no install scripts;
 * - config.json: the timer trigger, where there is one.
 * TypeORM's other drivers (better-sqlite3, pg, …) stay unresolved requires that the cloud never
 * reaches: cloud functions run on MySQL only (cloud-functions/core.ts).
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FUNCTIONS, TRIGGERS } from '../../cloud-functions/functions';

const ROOT = join(__dirname, '../..');
const OUT = join(ROOT, 'dist/cloud-functions');
const rootRequire = createRequire(join(ROOT, 'package.json'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** The version of wx-server-sdk the functions declare (it is not a dependency of this repository). */
const WX_SERVER_SDK_VERSION = '4.0.2';
/** mysql2 at the version this repository is tested with. */
const MYSQL2_VERSION = JSON.parse(readFileSync(rootRequire.resolve('mysql2/package.json'), 'utf8')).version as string;
const RUNTIME_DEPENDENCIES = new Set(['mysql2', 'wx-server-sdk']);

/** Bare imports that are not installed (TypeORM's other drivers) are left as runtime requires. */
const missingAsExternal: Plugin = {
  name: 'missing-as-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (RUNTIME_DEPENDENCIES.has(args.path) || args.path === 'better-sqlite3') return { path: args.path, external: true };
      if (args.path.startsWith('node:')) return null;
      try {
        createRequire(join(args.resolveDir || ROOT, 'x.js')).resolve(args.path);
        return null;
      } catch {
        try {
          rootRequire.resolve(args.path);
          return null;
        } catch {
          return { path: args.path, external: true };
        }
      }
    });
  },
};

/** Builds every cloud function into dist/cloud-functions/<name>/; returns one line per function. */
export async function buildCloud(): Promise<string> {
  const lines: string[] = [];
  rmSync(OUT, { recursive: true, force: true });
  const names = Object.keys(FUNCTIONS);
  for (const name of names) {
    const dir = join(OUT, name);
    mkdirSync(dir, { recursive: true });
    const r = await build({
      stdin: {
        contents: `export { ${name} as main } from './functions';\nexport { closeBackend as close } from './core';`,
        resolveDir: join(ROOT, 'cloud-functions'),
        loader: 'ts',
        sourcefile: `${name}.ts`,
      },
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      outfile: join(dir, 'index.js'),
      plugins: [missingAsExternal],
      logLevel: 'error',
      legalComments: 'none',
      minifySyntax: true,
      metafile: true,
    });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify(
        {
          name: `prtc-${name}`,
          version: pkg.version,
          private: true,
          main: 'index.js',
          description: `PrTC cloud function ${name} (built by npm run build:cloud)`,
          engines: { node: '>=16.13' },
          dependencies: {
            mysql2: MYSQL2_VERSION,
            'wx-server-sdk': WX_SERVER_SDK_VERSION,
          },
        },
        null,
        2,
      ) + '\n',
    );
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ permissions: { openapi: [] }, triggers: TRIGGERS[name] ?? [] }, null, 2) + '\n',
    );
    const bytes = Object.values(r.metafile!.outputs).reduce((n, o) => n + o.bytes, 0);
    lines.push(`cloud: dist/cloud-functions/${name}/index.js (${(bytes / 1024).toFixed(0)} KB)`);
  }
  return lines.join('\n');
}
