/** The portal's stylesheet and its one script, read once at start. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PortalRouter } from '../context';

const STATIC: Record<string, { type: string; body: Buffer }> = {
  'portal.css': { type: 'text/css; charset=utf-8', body: readFileSync(join(__dirname, '..', 'static', 'portal.css')) },
  'portal.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(join(__dirname, '..', 'static', 'portal.js')) },
};

export function staticRoutes(router: PortalRouter): void {
  router.get('/static/:file', (ctx, next) => {
    const f = STATIC[ctx.params.file];
    // not one of these: perhaps a built script of another route (venues.ts: warn.js)
    if (!f) return next();
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.type = f.type;
    ctx.body = f.body;
  });
}
