/** Upload codes: issued (shown once, with its link and QR code), looked up and voided by short id. */
import { PrtcError } from '../../../../shared/errors';
import { html, L, pageOf, type PortalRouter } from '../context';
import { issuedPage, issuePage, lookupPage } from '../views';
import type { RouteDeps } from './deps';

export function codeRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, checkedForm } = guards;
  router.post('/codes', signedIn(), checkedForm, async (ctx) => {
    const c = pageOf(ctx);
    try {
      const r = await portal.issue(ctx.state.who!.me);
      const link = `${services.config.publicUrl}/u#${r.code}`;
      html(ctx, 200, issuedPage(c, { ...r, link }, services.clock.now()));
    } catch (e) {
      if (e instanceof PrtcError && e.code === 'quota_exceeded')
        return html(ctx, 429, issuePage(c, { kind: 'error', text: L(ctx, 'quotaSpent') }));
      throw e;
    }
  });
  router.get('/codes', signedIn(), async (ctx) => {
    const id = String(ctx.query.id ?? '')
      .trim()
      .toUpperCase()
      .slice(0, 16);
    const found = id ? await portal.lookup(ctx.state.who!.me, id) : null;
    html(ctx, found ? 200 : 404, lookupPage(pageOf(ctx), id, found, null));
  });
  router.post('/codes/:shortId/void', signedIn(), checkedForm, async (ctx) => {
    const me = ctx.state.who!.me;
    const id = ctx.params.shortId.toUpperCase().slice(0, 16);
    const done = await portal.void(me, id);
    const found = await portal.lookup(me, id);
    html(
      ctx,
      done ? 200 : 409,
      lookupPage(pageOf(ctx), id, found, done ? { kind: 'ok', text: L(ctx, 'voided') } : { kind: 'error', text: L(ctx, 'notVoided') }),
    );
  });
}
