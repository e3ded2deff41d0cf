/** The realm's people (admins only): invited with a one-time link, disabled. */
import type { Role } from '../../../domains/portal/service';
import { formProblem, html, pageOf, refusedInput, type PortalRouter } from '../context';
import { peoplePage } from '../views';
import type { RouteDeps } from './deps';

export function peopleRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly, checkedForm } = guards;
  router.get('/people', signedIn(), adminOnly, async (ctx) =>
    html(ctx, 200, peoplePage(pageOf(ctx), await portal.people(ctx.state.who!.me), null, null)),
  );
  router.post('/people', signedIn(), adminOnly, checkedForm, async (ctx) => {
    const { me } = ctx.state.who!;
    const form = ctx.state.form!;
    const username = (form.get('username') ?? '').slice(0, 100);
    try {
      const token = await portal.invite(me, username, (form.get('role') ?? 'issuer') as Role);
      const link = `${services.config.publicUrl}/portal/setup/${token}`;
      html(ctx, 200, peoplePage(pageOf(ctx), await portal.people(me), { username, link }, null));
    } catch (e) {
      if (!refusedInput(e)) throw e;
      html(ctx, 400, peoplePage(pageOf(ctx), await portal.people(me), null, formProblem(ctx, e)));
    }
  });
  router.post('/people/:id/disable', signedIn(), adminOnly, checkedForm, async (ctx) => {
    await portal.disable(ctx.state.who!.me, Number(ctx.params.id));
    ctx.redirect('/portal/people');
  });
}
