/** The realm's statistics (admins only): codes per day as a table, JSON and CSV, and today's failed logins. */
import { html, pageOf, type PortalRouter } from '../context';
import { statsPage } from '../views';
import type { RouteDeps } from './deps';

export function statsRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, adminOnly } = guards;
  // downloads answer 401 without a session, not the login page
  const data = signedIn({ data: true });
  router.get('/stats', signedIn(), adminOnly, async (ctx) => {
    const { me } = ctx.state.who!;
    html(ctx, 200, statsPage(pageOf(ctx), await portal.stats(me), await portal.failedLoginsToday(me)));
  });
  router.get('/stats.json', data, adminOnly, async (ctx) => {
    const { me } = ctx.state.who!;
    ctx.type = 'application/json';
    ctx.body = { realm: me.realmName, days: (await portal.stats(me)).map(({ day: _day, ...d }) => d) };
  });
  router.get('/stats.csv', data, adminOnly, async (ctx) => {
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="prtc-codes.csv"');
    ctx.body =
      [
        'date,issued,used,expired,voided',
        ...(await portal.stats(ctx.state.who!.me)).map((d) => `${d.date},${d.issued},${d.used},${d.expired},${d.voided}`),
      ].join('\n') + '\n';
  });
}
