/**
 * The matching worker and its WebAssembly, after `taro build --type weapp` (part of `npm run
 * build:weapp`), into the built mini-program:
 * - dist/weapp/workers/index.js: miniprogram/worker/index.ts bundled into one script (WeChat's
 *   worker may require only files inside the `workers` folder app.json names), at ES2020 like the
 *   rest of the build;
 * - dist/weapp/wasm/rpi-simd.wasm and rpi.wasm: wasm/rpi-simd.ts (bitsliced SIMD) and wasm/rpi.ts
 *   (scalar) compiled by AssemblyScript, outside the workers folder (that folder holds JavaScript
 *   only) — WXWebAssembly.instantiate loads them by their package paths.
 * No binary is kept in the repository: both are made here from source.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '..');
const OUT = resolve(ROOT, process.argv[2] ?? 'dist/weapp');

async function main() {
  const script = join(OUT, 'workers', 'index.js');
  await build({
    entryPoints: [join(ROOT, 'miniprogram', 'worker', 'index.ts')],
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'iife',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    outfile: script,
    logLevel: 'error',
  });
  // -O3, no runtime (the modules allocate nothing: fixed places in linear memory), no bounds asserts;
  // the SIMD module with v128 (a WeChat before 8.0.25 refuses to compile it, and the worker then
  // loads the scalar one)
  const asc = (source: string, out: string, extra: string[]) =>
    execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'assemblyscript', 'bin', 'asc.js'),
        join(ROOT, 'wasm', source),
        '-O3',
        '--runtime',
        'stub',
        '--noAssert',
        '--initialMemory',
        '3',
        ...extra,
        '-o',
        out,
      ],
      { stdio: 'inherit' },
    );
  const wasm = join(OUT, 'wasm', 'rpi.wasm');
  const simd = join(OUT, 'wasm', 'rpi-simd.wasm');
  mkdirSync(dirname(wasm), { recursive: true });
  asc('rpi.ts', wasm, []);
  asc('rpi-simd.ts', simd, ['--enable', 'simd']);
  const kb = (f: string) => (statSync(f).size / 1024).toFixed(1);
  console.log(`worker: ${script} (${kb(script)} KB), ${simd} (${kb(simd)} KB), ${wasm} (${kb(wasm)} KB)`);
}

main().catch((e) => {
  console.error(`build-worker: ${(e as Error).message}`);
  process.exit(1);
});
