/** The second factor: a TOTP secret offered, confirmed with a code from the app, recovery codes shown once. */
import { html, L, pageOf, type PortalContext, type PortalRouter } from '../context';
import { securityPage } from '../views';
import type { RouteDeps } from './deps';

export function securityRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, checkedForm } = guards;
  // a realm that requires a second factor lets someone without one reach these pages only
  const enrolling = signedIn({ enrolling: true });
  /** A new secret offered (not stored until confirmed), with its QR link. */
  const offer = (ctx: PortalContext) => {
    const o = portal.totpOffer(ctx.state.who!.me, 'PrTC');
    return { sealed: o.secret, uri: o.uri, secret: new URL(o.uri).searchParams.get('secret')! };
  };

  router.get('/security', enrolling, (ctx) => {
    const { me } = ctx.state.who!;
    html(ctx, 200, securityPage(pageOf(ctx), { on: me.totp, offer: null, recovery: null, error: null, mustEnrol: me.mustEnrol }));
  });
  router.post('/security/start', enrolling, checkedForm, (ctx) => {
    const { me } = ctx.state.who!;
    html(ctx, 200, securityPage(pageOf(ctx), { on: false, offer: offer(ctx), recovery: null, error: null, mustEnrol: me.mustEnrol }));
  });
  router.post('/security/confirm', enrolling, checkedForm, async (ctx) => {
    const { me } = ctx.state.who!;
    const form = ctx.state.form!;
    const codes = await portal.totpEnable(me, form.get('sealed') ?? '', form.get('code') ?? '');
    if (!codes)
      return html(
        ctx,
        400,
        securityPage(pageOf(ctx), { on: false, offer: offer(ctx), recovery: null, error: L(ctx, 'totpWrong'), mustEnrol: me.mustEnrol }),
      );
    html(ctx, 200, securityPage(pageOf(ctx), { on: true, offer: null, recovery: codes, error: null, mustEnrol: false }));
  });
}
