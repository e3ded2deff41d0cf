/** The realm's API keys for lab systems (admins only): created (shown once) and revoked. */
import { formProblem, html, pageOf, refusedInput, type PortalRouter } from '../context';
import { keysPage } from '../views';
import type { RouteDeps } from './deps';

export function keyRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly, checkedForm } = guards;
  router.get('/keys', signedIn(), adminOnly, async (ctx) =>
    html(ctx, 200, keysPage(pageOf(ctx), await portal.apiKeys(ctx.state.who!.me), null, null)),
  );
  router.post('/keys', signedIn(), adminOnly, checkedForm, async (ctx) => {
    const { me } = ctx.state.who!;
    try {
      const token = await portal.createApiKey(me, (ctx.state.form!.get('name') ?? '').slice(0, 100));
      html(ctx, 200, keysPage(pageOf(ctx), await portal.apiKeys(me), token, null));
    } catch (e) {
      if (!refusedInput(e)) throw e;
      html(ctx, 400, keysPage(pageOf(ctx), await portal.apiKeys(me), null, formProblem(ctx, e)));
    }
  });
  router.post('/keys/:name/revoke', signedIn(), adminOnly, checkedForm, async (ctx) => {
    await portal.revokeApiKey(ctx.state.who!.me, ctx.params.name);
    ctx.redirect('/portal/keys');
  });
}
