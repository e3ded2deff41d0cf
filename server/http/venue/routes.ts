/**
 * `/venue`: the public page where a venue owner makes a poster in the browser (no login). The page
 * and its stylesheet are static; its script is client/venue.ts (the shared poster layout, jsPDF,
 * csv-parse) as the build bundled it (script.ts), read on first request and kept. The CSP forbids
 * the page any connection (`connect-src 'none'`, `form-action 'none'`): the name and the link
 * cannot leave it.
 * The access log shows only these paths (the form never submits).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import type Koa from 'koa';
import { venuePage, venueWarnPage } from './page';
import { VENUE_BUILD_COMMAND, VENUE_SCRIPT_BUILT, WARN_SCRIPT_BUILT } from './script';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
/** Issue 31: /venue/warn may send to this server's API (POST /v1/venue-warnings) and nowhere else. */
const WARN_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * `scriptFile`: the built page script (VENUE_SCRIPT_BUILT unless a test says otherwise). When it is
 * missing the script's URL answers 503 in plain words and the log says, once, what to run.
 */
export function venueRoutes(opts: {
  linkHost: string;
  errorLog?: (m: string) => void;
  scriptFile?: string;
  warnScriptFile?: string;
}): Router {
  const router = new Router({ prefix: '/venue' });
  const scriptFile = opts.scriptFile ?? VENUE_SCRIPT_BUILT;
  let script: Buffer | null = null;
  let reported = false;
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
  const warnHtml = venueWarnPage();
  let warnScript: Buffer | null = null;
  router.get('/warn', (ctx) => {
    headers(ctx);
    ctx.set('Content-Security-Policy', WARN_CSP);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = warnHtml;
  });
  router.get('/static/warn.js', (ctx) => {
    headers(ctx);
    try {
      warnScript ??= readFileSync(opts.warnScriptFile ?? WARN_SCRIPT_BUILT);
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The page script is not available on this server.';
      return;
    }
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = warnScript;
  });
  router.get('/static/venue.css', (ctx) => {
    headers(ctx);
    ctx.type = 'text/css; charset=utf-8';
    ctx.body = css;
  });
  router.get('/static/venue.js', (ctx) => {
    headers(ctx);
    try {
      script ??= readFileSync(scriptFile);
    } catch (e) {
      if (!reported)
        opts.errorLog?.(
          `the /venue page's script ${scriptFile} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): run \`${VENUE_BUILD_COMMAND}\``,
        );
      reported = true;
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = 'The page script is not available on this server.';
      return;
    }
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = script;
  });
  return router;
}
