/**
 * The esbuild bundles of tools/build.ts that are not part of a mini-program: the /venue page's
 * browser script (`venue`) and the benchmarks (`bench`). Each is written whole or not at all: built
 * in memory, written beside its place and renamed over it, so a server reading the venue script
 * while `npm start`'s prestart rebuilds it reads the old file or the new one, never half of one.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { VENUE_SCRIPT_BUILT, VENUE_SCRIPT_ENTRY } from '../../server/http/venue/script';

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
  })}`;
}

/**
 * dist/bench/index.cjs: the benchmarks on plain node (under tsx, @noble/hashes runs about 20× slower).
 * Native modules and the server's frameworks stay outside, loaded from node_modules.
 */
export async function buildBench(): Promise<string> {
  return `bench: ${await bundle(join(ROOT, 'dist/bench/index.cjs'), {
    entryPoints: [join(ROOT, 'bench/index.ts')],
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    external: ['better-sqlite3', 'mysql2', 'autocannon', 'typeorm', 'koa', '@koa/router'],
  })}`;
}
