/**
 * Where the /venue page's script comes from and where the build puts it. `npm run build -- venue`
 * (tools/build.ts; `npm start` runs it first, as `prestart`) bundles client/venue.ts into one
 * browser script; the server only reads the result and never bundles (no esbuild at run time).
 */
import { join } from 'node:path';

/** The page script's source: the browser entry point. */
export const VENUE_SCRIPT_ENTRY = join(__dirname, 'client', 'venue.ts');

/** The bundle the server serves as /venue/static/venue.js. */
export const VENUE_SCRIPT_BUILT = join(__dirname, '..', '..', '..', 'dist', 'venue', 'venue.js');

/** What an operator runs to make it. */
export const VENUE_BUILD_COMMAND = 'npm run build -- venue';

/** Issue 31: the /venue/warn page's script (an owner's warning with a code) and where the build puts it. */
export const WARN_SCRIPT_ENTRY = join(__dirname, 'client', 'warn.ts');
export const WARN_SCRIPT_BUILT = join(__dirname, '..', '..', '..', 'dist', 'venue', 'warn.js');

/** Issue 31: the portal's "warn a venue" script (jsQR for the poster photo), served as /portal/static/warn.js. */
export const PORTAL_WARN_SCRIPT_ENTRY = join(__dirname, '..', 'portal', 'client', 'warn.ts');
export const PORTAL_WARN_SCRIPT_BUILT = join(__dirname, '..', '..', '..', 'dist', 'venue', 'portal-warn.js');
