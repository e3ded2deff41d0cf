/**
 * The portal over HTTP, under /portal: server-rendered pages (views.ts) over the portal's domain.
 *
 * What a login page meets, and what holds here:
 * - sessions: a random id in `prtc_s` (HttpOnly, SameSite=Strict, Path=/portal, Secure when the
 *   request came over TLS — through a proxy only with TRUST_PROXY=1); a new id at login; logout ends
 *   it on the server; idle and absolute time-outs (service.ts);
 * - CSRF: every POST carries a token — the session's, or before login a double-submit cookie
 *   (`prtc_f`) — and a browser's Origin, when sent, must be this server's; else 403, nothing changed;
 * - headers: a CSP without 'unsafe-inline' (scripts and styles only from /portal/static),
 *   frame-ancestors 'none', nosniff, Cache-Control no-store, and Referrer-Policy same-origin: no
 *   address (a setup link holds a secret) goes to another site, while the portal's own forms keep
 *   their Origin — under no-referrer a browser sends `Origin: null` with every POST (Fetch standard,
 *   "append a request Origin header") and the Origin check would refuse the portal's own forms;
 * - without a session every page is the login page (CSV/JSON downloads: 401), never data;
 * - everything echoed is escaped (views.ts `esc`).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Koa from 'koa';
import Router from '@koa/router';
import { PrtcError } from '../../../shared/errors';
import type { Services } from '../../domains';
import { loggablePath } from '../edge';
import { PasswordRefused, type PasswordProblem } from '../../domains/portal/passwords';
import type { Me, Role } from '../../domains/portal/service';
import {
  auditPage,
  issuedPage,
  issuePage,
  keysPage,
  loginPage,
  lookupPage,
  messagePage,
  peoplePage,
  secondFactorPage,
  securityPage,
  settingsPage,
  setupPage,
  statsPage,
  type PageContext,
} from './views';
import { langOf, w, type PortalLang, type WordKey } from './words';

const STATIC: Record<string, { type: string; body: Buffer }> = {
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, 'static', 'portal.css')) },
  'portal.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(__dirname, 'static', 'portal.js')) },
};

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const SESSION = 'prtc_s';
const FORM = 'prtc_f';
const DEVICE = 'prtc_d';
const LANG = 'prtc_lang';
const MAX_FORM_BYTES = 16 * 1024;

/** A refused new password, in the page's words. */
const PASSWORD_WORDS: Record<PasswordProblem, WordKey> = { too_short: 'pw_too_short', too_long: 'pw_too_long', common: 'pw_common' };

/** A request the portal refuses as forged (no CSRF token, another origin): 403, nothing done. */
class Forbidden extends Error {}

async function readForm(ctx: Koa.Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new Forbidden('not a form');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of ctx.req) {
    size += (c as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Forbidden('form too large');
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
};

export function portalRoutes(services: Services, opts: { errorLog?: (msg: string) => void } = {}): Router {
  const portal = services.portal;
  const router = new Router({ prefix: '/portal' });
  const publicOrigin = new URL(services.config.publicUrl).origin;

  const cookieOpts = (ctx: Koa.Context, maxAgeMs?: number) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    path: '/portal',
    secure: ctx.secure,
    overwrite: true,
    ...(maxAgeMs ? { maxAge: maxAgeMs } : {}),
  });
  const lang = (ctx: Koa.Context): PortalLang => langOf(ctx.cookies.get(LANG), ctx.get('accept-language'));
  const L = (ctx: Koa.Context, k: WordKey) => w(lang(ctx), k);
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
  const formProblem = (ctx: Koa.Context, e: PrtcError) => {
    const k = FORM_PROBLEMS[`${e.code}:${e.field}`];
    return k ? L(ctx, k) : `${L(ctx, 'invalidValue')}${e.message}`;
  };
  const refusedInput = (e: unknown): e is PrtcError => e instanceof PrtcError && (e.code === 'invalid_value' || e.code === 'name_taken');

  /** Before login: a double-submit token in a cookie and in the form. */
  const formToken = (ctx: Koa.Context): string => {
    let t = ctx.cookies.get(FORM);
    if (!t || !/^[\w-]{43}$/.test(t)) {
      t = randomBytes(32).toString('base64url');
      ctx.cookies.set(FORM, t, cookieOpts(ctx));
    }
    return t;
  };

  const page = (ctx: Koa.Context, me: Me | null, csrf: string): PageContext => ({ lang: lang(ctx), me, csrf, path: ctx.path });
  const html = (ctx: Koa.Context, status: number, body: string) => {
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = body;
  };

  // headers, the language switch, forged-request and error handling for every portal response
  router.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', CSP);
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    ctx.set('Cache-Control', 'no-store');
    const q = ctx.query.lang;
    if (q === 'zh' || q === 'en') {
      ctx.cookies.set(LANG, q, { ...cookieOpts(ctx, 365 * 86400_000), httpOnly: false });
      ctx.redirect(ctx.path);
      return;
    }
    if (ctx.method === 'POST') {
      // Koa 3's ctx.origin is the request's Origin header itself, so this server's own is built here:
      // where the request came to (the proxy's view with TRUST_PROXY) or the configured PUBLIC_URL
      const origin = ctx.get('origin');
      if (origin && origin !== `${ctx.protocol}://${ctx.host}` && origin !== publicOrigin) {
        html(ctx, 403, messagePage(page(ctx, null, ''), L(ctx, 'badRequest'), L(ctx, 'badRequest')));
        return;
      }
    }
    try {
      await next();
    } catch (e) {
      if (e instanceof Forbidden) return html(ctx, 403, messagePage(page(ctx, null, ''), L(ctx, 'badRequest'), L(ctx, 'badRequest')));
      const known = e instanceof PrtcError ? e.code : null;
      if (known === 'database_unavailable' || known === null) {
        opts.errorLog?.(`portal ${ctx.method} ${loggablePath(ctx.path)}: ${(e as Error).message}`);
        return html(ctx, 503, messagePage(page(ctx, null, ''), L(ctx, 'serverError'), L(ctx, 'serverError')));
      }
      throw e;
    }
  });

  router.get('/static/:file', (ctx) => {
    const f = STATIC[ctx.params.file];
    if (!f) return;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = f.type;
    ctx.body = f.body;
  });

  /** The logged-in person (and their session's CSRF token), or the login page / 401 instead. */
  async function session(
    ctx: Koa.Context,
    opts: { admin?: boolean; enrolling?: boolean; data?: boolean } = {},
  ): Promise<{ me: Me; csrf: string } | null> {
    const who = await portal.whoIs(ctx.cookies.get(SESSION));
    if (!who) {
      if (opts.data) {
        ctx.status = 401;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = 'log in first\n';
      } else html(ctx, 200, loginPage(page(ctx, null, formToken(ctx)), null));
      return null;
    }
    if (who.me.mustEnrol && !opts.enrolling) {
      ctx.redirect('/portal/security');
      return null;
    }
    if (opts.admin && who.me.role !== 'admin') {
      html(ctx, 403, messagePage(page(ctx, who.me, who.csrf), L(ctx, 'forbidden'), L(ctx, 'forbidden')));
      return null;
    }
    return who;
  }

  /** A POST's form, after its CSRF token checked out against the session (or the pre-login cookie). */
  async function postForm(ctx: Koa.Context, expected: string | undefined): Promise<URLSearchParams> {
    const form = await readForm(ctx);
    if (!expected || !same(form.get('csrf') ?? '', expected)) throw new Forbidden('csrf');
    return form;
  }

  // ---- logging in and out

  router.get('/', async (ctx) => {
    const who = await session(ctx);
    if (who) html(ctx, 200, issuePage(page(ctx, who.me, who.csrf), null));
  });
  router.get('/login', async (ctx) => {
    if (await portal.whoIs(ctx.cookies.get(SESSION))) return ctx.redirect('/portal/');
    html(ctx, 200, loginPage(page(ctx, null, formToken(ctx)), null));
  });
  router.post('/login', async (ctx) => {
    const form = await postForm(ctx, ctx.cookies.get(FORM));
    const username = (form.get('username') ?? '').slice(0, 200);
    const r = await portal.login(username, (form.get('password') ?? '').slice(0, 1000), ctx.cookies.get(DEVICE) ?? null);
    if (r.kind === 'refused') return html(ctx, 401, loginPage(page(ctx, null, formToken(ctx)), L(ctx, 'loginFailed'), username));
    ctx.cookies.set(SESSION, r.session, cookieOpts(ctx));
    if (r.kind === 'second_factor') return ctx.redirect('/portal/second-factor');
    if (r.device) ctx.cookies.set(DEVICE, r.device, cookieOpts(ctx, 365 * 86400_000));
    ctx.redirect('/portal/');
  });
  router.get('/second-factor', (ctx) => html(ctx, 200, secondFactorPage(page(ctx, null, formToken(ctx)), null)));
  router.post('/second-factor', async (ctx) => {
    const form = await postForm(ctx, ctx.cookies.get(FORM));
    const r = await portal.secondFactor(ctx.cookies.get(SESSION) ?? '', form.get('code') ?? '');
    // the half-session is over: back to the password
    if (!r) return html(ctx, 401, loginPage(page(ctx, null, formToken(ctx)), L(ctx, 'codeWrong')));
    ctx.cookies.set(SESSION, r.session, cookieOpts(ctx));
    ctx.cookies.set(DEVICE, r.device, cookieOpts(ctx, 365 * 86400_000));
    ctx.redirect('/portal/');
  });
  router.post('/logout', async (ctx) => {
    const who = await portal.whoIs(ctx.cookies.get(SESSION));
    if (who) {
      await postForm(ctx, who.csrf);
      await portal.logout(ctx.cookies.get(SESSION)!, who.me);
    }
    ctx.cookies.set(SESSION, '', { ...cookieOpts(ctx), maxAge: 0 });
    ctx.redirect('/portal/login');
  });

  // ---- the one-time link to set a password
  router.get('/setup/:token', async (ctx) => {
    const who = await portal.invitedPerson(ctx.params.token);
    html(ctx, who ? 200 : 410, setupPage(page(ctx, null, formToken(ctx)), ctx.params.token, who?.username ?? null, null));
  });
  router.post('/setup/:token', async (ctx) => {
    const form = await postForm(ctx, ctx.cookies.get(FORM));
    const who = await portal.invitedPerson(ctx.params.token);
    const c = page(ctx, null, formToken(ctx));
    if (!who) return html(ctx, 410, setupPage(c, ctx.params.token, null, null));
    const pw = form.get('password') ?? '';
    if (pw !== (form.get('password2') ?? '')) return html(ctx, 400, setupPage(c, ctx.params.token, who.username, L(ctx, 'pw_mismatch')));
    try {
      await portal.setPasswordWithLink(ctx.params.token, pw);
    } catch (e) {
      if (e instanceof PasswordRefused)
        return html(ctx, 400, setupPage(c, ctx.params.token, who.username, L(ctx, PASSWORD_WORDS[e.problem])));
      if (e instanceof PrtcError && e.code === 'invalid_token') return html(ctx, 410, setupPage(c, ctx.params.token, null, null));
      throw e;
    }
    html(ctx, 200, setupPage(c, ctx.params.token, who.username, null, true));
  });

  // ---- codes
  router.post('/codes', async (ctx) => {
    const who = await session(ctx);
    if (!who) return;
    await postForm(ctx, who.csrf);
    const c = page(ctx, who.me, who.csrf);
    try {
      const r = await portal.issue(who.me);
      const link = `${services.config.publicUrl}/u#${r.code}`;
      html(ctx, 200, issuedPage(c, { ...r, link }, services.clock.now()));
    } catch (e) {
      if (e instanceof PrtcError && e.code === 'quota_exceeded')
        return html(ctx, 429, issuePage(c, { kind: 'error', text: L(ctx, 'quotaSpent') }));
      throw e;
    }
  });
  router.get('/codes', async (ctx) => {
    const who = await session(ctx);
    if (!who) return;
    const id = String(ctx.query.id ?? '')
      .trim()
      .toUpperCase()
      .slice(0, 16);
    const found = id ? await portal.lookup(who.me, id) : null;
    html(ctx, found ? 200 : 404, lookupPage(page(ctx, who.me, who.csrf), id, found, null));
  });
  router.post('/codes/:shortId/void', async (ctx) => {
    const who = await session(ctx);
    if (!who) return;
    await postForm(ctx, who.csrf);
    const id = ctx.params.shortId.toUpperCase().slice(0, 16);
    const done = await portal.void(who.me, id);
    const found = await portal.lookup(who.me, id);
    html(
      ctx,
      done ? 200 : 409,
      lookupPage(
        page(ctx, who.me, who.csrf),
        id,
        found,
        done ? { kind: 'ok', text: L(ctx, 'voided') } : { kind: 'error', text: L(ctx, 'notVoided') },
      ),
    );
  });

  // ---- the second factor
  router.get('/security', async (ctx) => {
    const who = await session(ctx, { enrolling: true });
    if (who)
      html(
        ctx,
        200,
        securityPage(page(ctx, who.me, who.csrf), {
          on: who.me.totp,
          offer: null,
          recovery: null,
          error: null,
          mustEnrol: who.me.mustEnrol,
        }),
      );
  });
  router.post('/security/start', async (ctx) => {
    const who = await session(ctx, { enrolling: true });
    if (!who) return;
    await postForm(ctx, who.csrf);
    const o = portal.totpOffer(who.me, 'PrTC');
    const secret = new URL(o.uri).searchParams.get('secret')!;
    html(
      ctx,
      200,
      securityPage(page(ctx, who.me, who.csrf), {
        on: false,
        offer: { sealed: o.secret, uri: o.uri, secret },
        recovery: null,
        error: null,
        mustEnrol: who.me.mustEnrol,
      }),
    );
  });
  router.post('/security/confirm', async (ctx) => {
    const who = await session(ctx, { enrolling: true });
    if (!who) return;
    const form = await postForm(ctx, who.csrf);
    const sealed = form.get('sealed') ?? '';
    const codes = await portal.totpEnable(who.me, sealed, form.get('code') ?? '');
    if (!codes) {
      const o = portal.totpOffer(who.me, 'PrTC');
      const secret = new URL(o.uri).searchParams.get('secret')!;
      return html(
        ctx,
        400,
        securityPage(page(ctx, who.me, who.csrf), {
          on: false,
          offer: { sealed: o.secret, uri: o.uri, secret },
          recovery: null,
          error: L(ctx, 'totpWrong'),
          mustEnrol: who.me.mustEnrol,
        }),
      );
    }
    html(ctx, 200, securityPage(page(ctx, who.me, who.csrf), { on: true, offer: null, recovery: codes, error: null, mustEnrol: false }));
  });

  // ---- the realm's admin
  router.get('/people', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (who) html(ctx, 200, peoplePage(page(ctx, who.me, who.csrf), await portal.people(who.me), null, null));
  });
  router.post('/people', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    const form = await postForm(ctx, who.csrf);
    const username = (form.get('username') ?? '').slice(0, 100);
    try {
      const token = await portal.invite(who.me, username, (form.get('role') ?? 'issuer') as Role);
      html(
        ctx,
        200,
        peoplePage(
          page(ctx, who.me, who.csrf),
          await portal.people(who.me),
          { username, link: `${services.config.publicUrl}/portal/setup/${token}` },
          null,
        ),
      );
    } catch (e) {
      if (!refusedInput(e)) throw e;
      html(ctx, 400, peoplePage(page(ctx, who.me, who.csrf), await portal.people(who.me), null, formProblem(ctx, e)));
    }
  });
  router.post('/people/:id/disable', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    await postForm(ctx, who.csrf);
    await portal.disable(who.me, Number(ctx.params.id));
    ctx.redirect('/portal/people');
  });
  router.get('/keys', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (who) html(ctx, 200, keysPage(page(ctx, who.me, who.csrf), await portal.apiKeys(who.me), null, null));
  });
  router.post('/keys', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    const form = await postForm(ctx, who.csrf);
    try {
      const token = await portal.createApiKey(who.me, (form.get('name') ?? '').slice(0, 100));
      html(ctx, 200, keysPage(page(ctx, who.me, who.csrf), await portal.apiKeys(who.me), token, null));
    } catch (e) {
      if (!refusedInput(e)) throw e;
      html(ctx, 400, keysPage(page(ctx, who.me, who.csrf), await portal.apiKeys(who.me), null, formProblem(ctx, e)));
    }
  });
  router.post('/keys/:name/revoke', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    await postForm(ctx, who.csrf);
    await portal.revokeApiKey(who.me, ctx.params.name);
    ctx.redirect('/portal/keys');
  });
  router.get('/settings', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (who) html(ctx, 200, settingsPage(page(ctx, who.me, who.csrf), (await portal.realm(who.me))!, null));
  });
  router.post('/settings', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    const form = await postForm(ctx, who.csrf);
    const num = (k: string) => (/^\d{1,6}$/.test(form.get(k) ?? '') ? Number(form.get(k)) : NaN);
    let message: { kind: 'error' | 'ok'; text: string } = { kind: 'ok', text: L(ctx, 'saved') };
    try {
      await portal.updateRealm(who.me, {
        requireTotp: form.get('requireTotp') === '1',
        dailyQuota: num('dailyQuota'),
        personQuota: num('personQuota'),
      });
    } catch (e) {
      if (!refusedInput(e)) throw e;
      message = { kind: 'error', text: formProblem(ctx, e) };
    }
    html(ctx, message.kind === 'ok' ? 200 : 400, settingsPage(page(ctx, who.me, who.csrf), (await portal.realm(who.me))!, message));
  });
  router.get('/stats', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (who) html(ctx, 200, statsPage(page(ctx, who.me, who.csrf), await portal.stats(who.me), await portal.failedLoginsToday(who.me)));
  });
  router.get('/stats.json', async (ctx) => {
    const who = await session(ctx, { admin: true, data: true });
    if (!who) return;
    ctx.type = 'application/json';
    ctx.body = { realm: who.me.realmName, days: (await portal.stats(who.me)).map(({ day: _day, ...d }) => d) };
  });
  router.get('/stats.csv', async (ctx) => {
    const who = await session(ctx, { admin: true, data: true });
    if (!who) return;
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="prtc-codes.csv"');
    ctx.body =
      [
        'date,issued,used,expired,voided',
        ...(await portal.stats(who.me)).map((d) => `${d.date},${d.issued},${d.used},${d.expired},${d.voided}`),
      ].join('\n') + '\n';
  });
  router.get('/audit', async (ctx) => {
    const who = await session(ctx, { admin: true });
    if (!who) return;
    const people = await portal.people(who.me);
    html(ctx, 200, auditPage(page(ctx, who.me, who.csrf), await portal.auditLog(who.me), new Map(people.map((p) => [p.id, p.username]))));
  });

  // anything else under /portal: the login page without a session, else not found
  router.all('/{*rest}', async (ctx) => {
    const who = await session(ctx);
    if (who) html(ctx, 404, messagePage(page(ctx, who.me, who.csrf), '404', '404'));
  });
  return router;
}
