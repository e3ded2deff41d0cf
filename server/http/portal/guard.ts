/**
 * The portal's guard, as middleware in front of every route:
 * - headers: a CSP without 'unsafe-inline' (scripts and styles only from /portal/static),
 *   frame-ancestors 'none', nosniff, Cache-Control no-store, and Referrer-Policy same-origin: no
 *   address (a setup link holds a secret) goes to another site, while the portal's own forms keep
 *   their Origin — under no-referrer a browser sends `Origin: null` with every POST (Fetch standard,
 *   "append a request Origin header") and the Origin check would refuse the portal's own forms;
 * - a browser's Origin, when sent with a POST, must be this server's; else 403, nothing changed;
 * - errors: a forged request is 403, a fault 503 with a page and a log line, never a stack trace;
 * - `signedIn`: the session behind the cookie, put on ctx.state.who — without one the login page
 *   (downloads: 401), with a second factor still to set up only the page that sets it up;
 * - `adminOnly`: the realm's admins, else 403;
 * - `checkedForm`: a POST's form, once its CSRF token matched the session's (or before login the
 *   double-submit cookie's), on ctx.state.form; else 403.
 */
import { timingSafeEqual } from 'node:crypto';
import type Koa from 'koa';
import { PrtcError } from '../../../shared/errors';
import type { PortalService } from '../../domains/portal/service';
import { ClientGone, drainAfterEarlyAnswer, readAtMost } from '../body';
import { loggablePath } from '../edge';
import { cookieOpts, FORM, formToken, html, L, LANG, page, pageOf, SESSION, YEAR_MS, type PortalContext } from './context';
import { loginPage, messagePage } from './views';

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const MAX_FORM_BYTES = 16 * 1024;

/** A request the portal refuses as forged (no CSRF token, another origin): 403, nothing done. */
class Forbidden extends Error {}

async function readForm(ctx: Koa.Context, maxBytes: number): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new Forbidden('not a form');
  const body = await readAtMost(ctx.req, maxBytes);
  if (body === null) {
    // refused before the rest is read: close after the answer and drain what is still coming
    // (bounded), so the browser reads the page instead of a reset (body.ts, linger.ts)
    ctx.set('Connection', 'close');
    drainAfterEarlyAnswer(ctx.req);
    throw new Forbidden('form too large');
  }
  return new URLSearchParams(body.toString('utf8'));
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

/** A POST's form, after its CSRF token checked out against `expected` (the session's, or the pre-login cookie's). */
export async function formWithToken(ctx: Koa.Context, expected: string | undefined, maxBytes = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const form = await readForm(ctx, maxBytes);
  if (!expected || !same(form.get('csrf') ?? '', expected)) throw new Forbidden('csrf');
  return form;
}

const forbiddenPage = (ctx: Koa.Context) => html(ctx, 403, messagePage(page(ctx, null, ''), L(ctx, 'badRequest'), L(ctx, 'badRequest')));

/** Headers, the language switch, the Origin check and error handling for every portal response. */
export function portalGuard(opts: { publicUrl: string; errorLog?: (msg: string) => void }): Koa.Middleware {
  const publicOrigin = new URL(opts.publicUrl).origin;
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cache-Control', 'no-store');
    const q = ctx.query.lang;
    if (q === 'zh' || q === 'en') {
      ctx.cookies.set(LANG, q, { ...cookieOpts(ctx, YEAR_MS), httpOnly: false });
      ctx.redirect(ctx.path);
      return;
    }
    if (ctx.method === 'POST') {
      // Koa 3's ctx.origin is the request's Origin header itself, so this server's own is built here:
      // where the request came to (the proxy's view with TRUST_PROXY) or the configured PUBLIC_URL
      const origin = ctx.get('origin');
      if (origin && origin !== `${ctx.protocol}://${ctx.host}` && origin !== publicOrigin) return forbiddenPage(ctx);
    }
    try {
      await next();
    } catch (e) {
      if (e instanceof Forbidden) return forbiddenPage(ctx);
      if (e instanceof ClientGone) throw e; // nobody left to answer: the app logs it as 499
      const known = e instanceof PrtcError ? e.code : null;
      if (known === 'database_unavailable' || known === null) {
        opts.errorLog?.(`portal ${ctx.method} ${loggablePath(ctx.path)}: ${(e as Error).message}`);
        return html(ctx, 503, messagePage(page(ctx, null, ''), L(ctx, 'serverError'), L(ctx, 'serverError')));
      }
      throw e;
    }
  };
}

/** The session middleware and role check, over the portal's service. */
export function sessionGuards(portal: Pick<PortalService, 'whoIs'>) {
  /** The logged-in person on ctx.state.who, or the login page (downloads: 401) instead of the route. */
  const signedIn =
    (opts: { enrolling?: boolean; data?: boolean } = {}) =>
    async (ctx: PortalContext, next: Koa.Next) => {
      const who = await portal.whoIs(ctx.cookies.get(SESSION));
      if (!who) {
        if (opts.data) {
          ctx.status = 401;
          ctx.type = 'text/plain; charset=utf-8';
          ctx.body = 'log in first\n';
        } else html(ctx, 200, loginPage(page(ctx, null, formToken(ctx)), null));
        return;
      }
      if (who.me.mustEnrol && !opts.enrolling) return ctx.redirect('/portal/security');
      ctx.state.who = who;
      await next();
    };
  /** After signedIn: the realm's admins only. */
  const adminOnly = async (ctx: PortalContext, next: Koa.Next) => {
    if (ctx.state.who!.me.role !== 'admin') return html(ctx, 403, messagePage(pageOf(ctx), L(ctx, 'forbidden'), L(ctx, 'forbidden')));
    await next();
  };
  /** A POST's form on ctx.state.form, its CSRF token checked against the session's (after signedIn) or the pre-login cookie's. */
  const checkedForm = async (ctx: PortalContext, next: Koa.Next) => {
    ctx.state.form = await formWithToken(ctx, ctx.state.who ? ctx.state.who.csrf : ctx.cookies.get(FORM));
    await next();
  };
  /** As checkedForm, for a form that carries more text than the usual 16 KiB (the advice: 12 texts in four languages). */
  const checkedLargeForm = (maxBytes: number) => async (ctx: PortalContext, next: Koa.Next) => {
    ctx.state.form = await formWithToken(ctx, ctx.state.who?.csrf, maxBytes);
    await next();
  };
  return { signedIn, adminOnly, checkedForm, checkedLargeForm };
}

export type SessionGuards = ReturnType<typeof sessionGuards>;
