/**
 * Logging in and out. Sessions: a random id in `prtc_s` (HttpOnly, SameSite=Strict, Path=/portal,
 * Secure when the request came over TLS — through a proxy only with TRUST_PROXY=1); a new id at
 * login; logout ends it on the server. The login form carries the pre-login double-submit token.
 */
import { cookieOpts, DEVICE, formToken, html, L, page, pageOf, SESSION, YEAR_MS, type PortalRouter } from '../context';
import { formWithToken } from '../guard';
import { issuePage, loginPage, secondFactorPage } from '../views';
import type { RouteDeps } from './deps';

export function loginRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, checkedForm } = guards;

  router.get('/', signedIn(), (ctx) => html(ctx, 200, issuePage(pageOf(ctx), null)));
  router.get('/login', async (ctx) => {
    if (await portal.whoIs(ctx.cookies.get(SESSION))) return ctx.redirect('/portal/');
    html(ctx, 200, loginPage(page(ctx, null, formToken(ctx)), null));
  });
  router.post('/login', checkedForm, async (ctx) => {
    const form = ctx.state.form!;
    const username = (form.get('username') ?? '').slice(0, 200);
    const r = await portal.login(username, (form.get('password') ?? '').slice(0, 1000), ctx.cookies.get(DEVICE) ?? null);
    if (r.kind === 'refused') return html(ctx, 401, loginPage(page(ctx, null, formToken(ctx)), L(ctx, 'loginFailed'), username));
    ctx.cookies.set(SESSION, r.session, cookieOpts(ctx));
    if (r.kind === 'second_factor') return ctx.redirect('/portal/second-factor');
    if (r.device) ctx.cookies.set(DEVICE, r.device, cookieOpts(ctx, YEAR_MS));
    ctx.redirect('/portal/');
  });
  router.get('/second-factor', (ctx) => html(ctx, 200, secondFactorPage(page(ctx, null, formToken(ctx)), null)));
  router.post('/second-factor', checkedForm, async (ctx) => {
    const r = await portal.secondFactor(ctx.cookies.get(SESSION) ?? '', ctx.state.form!.get('code') ?? '');
    // the half-session is over: back to the password
    if (!r) return html(ctx, 401, loginPage(page(ctx, null, formToken(ctx)), L(ctx, 'codeWrong')));
    ctx.cookies.set(SESSION, r.session, cookieOpts(ctx));
    ctx.cookies.set(DEVICE, r.device, cookieOpts(ctx, YEAR_MS));
    ctx.redirect('/portal/');
  });
  // logged in or not, the browser leaves with its session cookie cleared; a session is ended (with
  // its CSRF token checked) only when there is one
  router.post('/logout', async (ctx) => {
    const who = await portal.whoIs(ctx.cookies.get(SESSION));
    if (who) {
      await formWithToken(ctx, who.csrf);
      await portal.logout(ctx.cookies.get(SESSION)!, who.me);
    }
    ctx.cookies.set(SESSION, '', { ...cookieOpts(ctx), maxAge: 0 });
    ctx.redirect('/portal/login');
  });
}
