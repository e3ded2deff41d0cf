/**
 * The matching worker and its WebAssembly, after Taro's build (the `weapp` and `plugin` targets of
 * tools/build.ts), into the built mini-program or plug-in `out`:
 * - <out>/workers/index.js: miniprogram/worker/index.ts bundled into one script (WeChat's
 *   worker may require only files inside the `workers` folder app.json names), at ES2020 like the
 *   rest of the build;
 * - <out>/wasm/rpi-simd.wasm and rpi.wasm: wasm/rpi-simd.ts (bitsliced SIMD) and wasm/rpi.ts
 *   (scalar) compiled by AssemblyScript, outside the workers folder (that folder holds JavaScript
 *   only) — WXWebAssembly.instantiate loads them by their package paths.
 * No binary is kept in the repository: both are made here from source.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '../..');

/** Builds the worker into `out` (dist/weapp, or the plug-in's dist/weapp-plugin/plugin); returns one line saying what it wrote. */
export async function buildWorker(out: string): Promise<string> {
  const OUT = resolve(ROOT, out);
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
  const rel = (f: string) => relative(ROOT, f);
  return `worker: ${rel(script)} (${kb(script)} KB), ${rel(simd)} (${kb(simd)} KB), ${rel(wasm)} (${kb(wasm)} KB)`;
}
