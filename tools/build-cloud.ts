/**
 * `npm run build:cloud`: one deployable folder per cloud function in dist/cloud-functions/<name>/:
 * index.js (the function and everything it uses, bundled), package.json, config.json (triggers).
 * MySQL (mysql2) is bundled; better-sqlite3 is a native module and stays an optional dependency,
 * used only when DATABASE_URL is sqlite: (local testing). Optional TypeORM drivers that are not
 * installed stay unresolved requires; they are never reached with sqlite: or mysql:// URLs.
 */
import { build, type Plugin } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FUNCTIONS, TRIGGERS } from '../cloud-functions/functions';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'dist/cloud-functions');
const rootRequire = createRequire(join(ROOT, 'package.json'));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Bare imports that are not installed (TypeORM's other drivers) are left as runtime requires. */
const missingAsExternal: Plugin = {
  name: 'missing-as-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path === 'better-sqlite3') return { path: args.path, external: true };
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

async function main() {
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
          dependencies: {},
          optionalDependencies: { 'better-sqlite3': pkg.dependencies['better-sqlite3'] },
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
    process.stdout.write(`dist/cloud-functions/${name}/index.js  ${(bytes / 1024).toFixed(0)} KB\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`build:cloud: ${(e as Error).message}\n`);
  process.exit(1);
});
