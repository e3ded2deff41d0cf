/** The realm's audit log (admins only), actors named by username. */
import { html, pageOf, type PortalRouter } from '../context';
import { auditPage } from '../views';
import type { RouteDeps } from './deps';

export function auditRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly } = guards;
  router.get('/audit', signedIn(), adminOnly, async (ctx) => {
    const { me } = ctx.state.who!;
    const people = await portal.people(me);
    html(ctx, 200, auditPage(pageOf(ctx), await portal.auditLog(me), new Map(people.map((p) => [p.id, p.username]))));
  });
}
