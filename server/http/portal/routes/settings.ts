/** The realm's settings (admins only): daily quotas and whether everyone needs a second factor. */
import { formProblem, html, L, pageOf, refusedInput, type PortalRouter } from '../context';
import { settingsPage } from '../views';
import type { RouteDeps } from './deps';

export function settingsRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly, checkedForm } = guards;
  router.get('/settings', signedIn(), adminOnly, async (ctx) =>
    html(ctx, 200, settingsPage(pageOf(ctx), (await portal.realm(ctx.state.who!.me))!, null)),
  );
  router.post('/settings', signedIn(), adminOnly, checkedForm, async (ctx) => {
    const { me } = ctx.state.who!;
    const form = ctx.state.form!;
    const num = (k: string) => (/^\d{1,6}$/.test(form.get(k) ?? '') ? Number(form.get(k)) : NaN);
    let message: { kind: 'error' | 'ok'; text: string } = { kind: 'ok', text: L(ctx, 'saved') };
    try {
      await portal.updateRealm(me, {
        requireTotp: form.get('requireTotp') === '1',
        dailyQuota: num('dailyQuota'),
        personQuota: num('personQuota'),
      });
    } catch (e) {
      if (!refusedInput(e)) throw e;
      message = { kind: 'error', text: formProblem(ctx, e) };
    }
    html(ctx, message.kind === 'ok' ? 200 : 400, settingsPage(pageOf(ctx), (await portal.realm(me))!, message));
  });
}
