/**
 * What every portal route uses to answer: the cookies (names and attributes), the page's language
 * and words, the pre-login form token, and writing an HTML page.
 */
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Router, RouterContext } from '@koa/router';
import { PrtcError } from '../../../shared/errors';
import type { Me } from '../../domains/portal/service';
import type { PageContext } from './views';
import { langOf, w, type PortalLang, type WordKey } from './words';

export const SESSION = 'prtc_s';
export const FORM = 'prtc_f';
export const DEVICE = 'prtc_d';
export const LANG = 'prtc_lang';
export const YEAR_MS = 365 * 86400_000;

/** What the guard (guard.ts) leaves for a route: who is logged in, and the POSTed form once its CSRF token checked out. */
export interface PortalState {
  who?: { me: Me; csrf: string };
  form?: URLSearchParams;
}
export type PortalRouter = Router<PortalState>;
export type PortalContext = RouterContext<PortalState>;

/** Cookies of the portal: HttpOnly, SameSite=Strict, only under /portal, Secure when the request came over TLS. */
export const cookieOpts = (ctx: Koa.Context, maxAgeMs?: number) => ({
  httpOnly: true,
  sameSite: 'strict' as const,
  path: '/portal',
  secure: ctx.secure,
  overwrite: true,
  ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
});

export const lang = (ctx: Koa.Context): PortalLang => langOf(ctx.cookies.get(LANG), ctx.get('accept-language'));
/** A word in the page's language. */
export const L = (ctx: Koa.Context, k: WordKey) => w(lang(ctx), k);

/** Before login: a double-submit token in a cookie and in the form. */
export function formToken(ctx: Koa.Context): string {
  let t = ctx.cookies.get(FORM);
  if (!t || !/^[\w-]{43}$/.test(t)) {
    t = randomBytes(32).toString('base64url');
    ctx.cookies.set(FORM, t, cookieOpts(ctx));
  }
  return t;
}

export const page = (ctx: Koa.Context, me: Me | null, csrf: string): PageContext => ({ lang: lang(ctx), me, csrf, path: ctx.path });
/** The page logged in as `who` (state.who, set by the guard's signedIn). */
export const pageOf = (ctx: PortalContext): PageContext => page(ctx, ctx.state.who!.me, ctx.state.who!.csrf);

export function html(ctx: Koa.Context, status: number, body: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = body;
}

/** A form's refused value in the page's language (the service's own message only for a case these words do not know). */
const FORM_PROBLEMS: Record<string, WordKey> = {
  'invalid_value:username': 'usernameRule',
  'name_taken:username': 'usernameTaken',
  'invalid_value:role': 'roleRule',
  'invalid_value:name': 'keyNameRule',
  'name_taken:name': 'keyNameTaken',
  'invalid_value:dailyQuota': 'quotaRule',
  'invalid_value:personQuota': 'quotaRule',
};
export function formProblem(ctx: Koa.Context, e: PrtcError): string {
  const k = FORM_PROBLEMS[`${e.code}:${e.field}`];
  return k ? L(ctx, k) : `${L(ctx, 'invalidValue')}${e.message}`;
}
/** A value the form got wrong (told on the form's page), as opposed to a fault. */
export const refusedInput = (e: unknown): e is PrtcError =>
  e instanceof PrtcError && (e.code === 'invalid_value' || e.code === 'name_taken');
