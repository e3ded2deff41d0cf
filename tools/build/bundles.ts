/**
 * The esbuild bundles of tools/build.ts that are not part of a mini-program: the /venue page's
 * browser script (`venue`) and the benchmarks (`bench`). Each is written whole or not at all: built
 * in memory, written beside its place and renamed over it, so a server reading the venue script
 * while `npm start`'s prestart rebuilds it reads the old file or the new one, never half of one.
 */
import { copyFileSync, cpSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import {
  PORTAL_WARN_SCRIPT_BUILT,
  PORTAL_WARN_SCRIPT_ENTRY,
  VENUE_SCRIPT_BUILT,
  VENUE_SCRIPT_ENTRY,
  WARN_SCRIPT_BUILT,
  WARN_SCRIPT_ENTRY,
} from '../../server/http/venue/script';

const ROOT = join(__dirname, '../..');

async function bundle(outfile: string, options: BuildOptions): Promise<string> {
  const r = await build({ logLevel: 'error', ...options, bundle: true, write: false });
  const bytes = r.outputFiles![0].contents;
  mkdirSync(dirname(outfile), { recursive: true });
  const temp = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, outfile);
  return `${relative(ROOT, outfile)} (${(bytes.length / 1024).toFixed(0)} KB)`;
}

/** dist/venue/venue.js: client/venue.ts with the shared poster layout, jsPDF and csv-parse, for the browser. */
export async function buildVenueScript(): Promise<string> {
  return `venue: ${await bundle(VENUE_SCRIPT_BUILT, {
    entryPoints: [VENUE_SCRIPT_ENTRY],
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    // jsPDF's optional HTML and SVG renderers: never called by this page
    external: ['html2canvas', 'dompurify', 'canvg'],
  })}, ${await bundle(WARN_SCRIPT_BUILT, browserScript(WARN_SCRIPT_ENTRY))}, ${await bundle(
    PORTAL_WARN_SCRIPT_BUILT,
    browserScript(PORTAL_WARN_SCRIPT_ENTRY),
  )}`;
}

/** Issue 31: the venue-warning scripts of /venue/warn and the portal (the link parsed, hashed, and for the portal jsQR). */
const browserScript = (entry: string): BuildOptions => ({
  entryPoints: [entry],
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
});

/**
 * dist/bench/index.cjs: the benchmarks on plain node (under tsx, @noble/hashes runs about 20× slower).
 * Native modules and the server's frameworks stay outside, loaded from node_modules.
 */
export async function buildBench(): Promise<string> {
  // the coverage bench runs the whole server in its process, whose pages read their static files
  // from beside their module (portal/routes/static.ts: __dirname/../static; venue/routes.ts:
  // __dirname/static): in the bundle __dirname is dist/bench, so the files go where that points
  cpSync(join(ROOT, 'server/http/portal/static'), join(ROOT, 'dist/static'), { recursive: true });
  cpSync(join(ROOT, 'server/http/venue/static'), join(ROOT, 'dist/bench/static'), { recursive: true });
  return `bench: ${await bundle(join(ROOT, 'dist/bench/index.cjs'), {
    entryPoints: [join(ROOT, 'bench/index.ts')],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['better-sqlite3', 'mysql2', 'autocannon', 'typeorm', 'koa', '@koa/router'],
  })}`;
}

/**
 * dist/playground/: the playground's page (tools/playground/static), its script with testkit's
 * handset and world bundled for the browser (tools/playground/browser/page.ts) and the Web Worker
 * boot that runs the built matching worker (worker-boot.ts). `npm run playground` serves it beside
 * the H5 build (the `h5` target).
 */
export async function buildPlayground(): Promise<string> {
  const out = join(ROOT, 'dist/playground');
  const browser = join(ROOT, 'tools/playground/browser');
  const options: BuildOptions = { format: 'iife', platform: 'browser', target: 'es2022', minify: true, legalComments: 'none' };
  const page = await bundle(join(out, 'playground.js'), { ...options, entryPoints: [join(browser, 'page.ts')] });
  const boot = await bundle(join(out, 'worker-boot.js'), { ...options, entryPoints: [join(browser, 'worker-boot.ts')] });
  const statics = join(ROOT, 'tools/playground/static');
  for (const f of readdirSync(statics)) copyFileSync(join(statics, f), join(out, f));
  return `playground: ${page}, ${boot}`;
}
