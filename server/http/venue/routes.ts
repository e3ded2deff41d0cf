/**
 * `/venue`: the public page where a venue owner makes a poster in the browser (no login). The page
 * and its stylesheet are static; its script is client/venue.ts bundled once per process with esbuild
 * (the shared poster layout, jsPDF, csv-parse) on first request. The CSP forbids the page any
 * connection (`connect-src 'none'`, `form-action 'none'`): the name and the link cannot leave it.
 * The access log shows only these paths (the form never submits).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import type Koa from 'koa';
import { venuePage } from './page';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

let bundle: Promise<Uint8Array> | null = null;

/** The page's script, bundled on first use (about a second) and kept. */
function venueScript(): Promise<Uint8Array> {
  bundle ??= import('esbuild')
    .then((esbuild) =>
      esbuild.build({
        entryPoints: [join(__dirname, 'client', 'venue.ts')],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'es2020',
        minify: true,
        write: false,
        logLevel: 'silent',
        // jsPDF's optional HTML and SVG renderers: never called by this page
        external: ['html2canvas', 'dompurify', 'canvg'],
      }),
    )
    .then((r) => r.outputFiles[0].contents)
    .catch((e: unknown) => {
      bundle = null; // the next request tries again
      throw e;
    });
  return bundle;
}

export function venueRoutes(opts: { linkHost: string; errorLog?: (m: string) => void }): Router {
  const router = new Router({ prefix: '/venue' });
  const css = readFileSync(join(__dirname, 'static', 'venue.css'));
  const html = venuePage(opts.linkHost);
  const headers = (ctx: Koa.Context) => {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
  };
  router.get('/', (ctx) => {
    headers(ctx);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  router.get('/static/venue.css', (ctx) => {
    headers(ctx);
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = css;
  });
  router.get('/static/venue.js', async (ctx) => {
    headers(ctx);
    try {
      ctx.body = Buffer.from(await venueScript());
      ctx.type = 'text/javascript; charset=utf-8';
    } catch (e) {
      opts.errorLog?.(`venue page script: ${(e as Error).message}`);
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The page script could not be built.';
    }
  });
  return router;
}
