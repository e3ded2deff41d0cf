/**
 * The portal over HTTP, under /portal: server-rendered pages (views.ts) over the portal's domain.
 * The guard (guard.ts) stands in front of every route — headers, the Origin check, errors — and
 * each route asks for what it needs: a session (`signedIn`), an admin (`adminOnly`), a form whose
 * CSRF token checked out (`checkedForm`: the session's, or before login a double-submit cookie).
 * Without a session every page is the login page (CSV/JSON downloads: 401), never data; everything
 * echoed is escaped (views.ts `esc`). Sessions time out idle and absolutely (domains/portal).
 */
import Router from '@koa/router';
import type { Services } from '../../../domains';
import { html, pageOf, type PortalState } from '../context';
import { portalGuard, sessionGuards } from '../guard';
import { messagePage } from '../views';
import { adviceRoutes } from './advice';
import { auditRoutes } from './audit';
import { codeRoutes } from './codes';
import { keyRoutes } from './keys';
import { loginRoutes } from './login';
import { peopleRoutes } from './people';
import { securityRoutes } from './security';
import { settingsRoutes } from './settings';
import { setupRoutes } from './setup';
import { staticRoutes } from './static';
import { statsRoutes } from './stats';
import { venueRoutes } from './venues';

export function portalRoutes(services: Services, opts: { errorLog?: (msg: string) => void } = {}): Router<PortalState> {
  const router = new Router<PortalState>({ prefix: '/portal' });
  router.use(portalGuard({ publicUrl: services.config.publicUrl, errorLog: opts.errorLog }));
  const deps = { services, guards: sessionGuards(services.portal) };
  staticRoutes(router);
  for (const mount of [
    loginRoutes,
    setupRoutes,
    codeRoutes,
    securityRoutes,
    peopleRoutes,
    keyRoutes,
    settingsRoutes,
    statsRoutes,
    auditRoutes,
    adviceRoutes,
    venueRoutes,
  ])
    mount(router, deps);
  // anything else under /portal: the login page without a session, else not found
  router.all('/{*rest}', deps.guards.signedIn(), (ctx) => html(ctx, 404, messagePage(pageOf(ctx), '404', '404')));
  return router;
}
