/**
 * Issue 31: venue warnings in the portal, for every person of a realm — a venue warning code for a
 * venue's owner, and the authority's own warning of a venue (its hash, computed in the browser, with
 * a window, a level, a number to call and a sentence per language). Its script is the build's
 * (dist/venue/portal-warn.js, `npm run build -- venue`): the server never bundles.
 */
import { readFileSync } from 'node:fs';
import { statusOf } from '../../../../shared/api/status';
import { PrtcError } from '../../../../shared/errors';
import type { VenueWarning, WarningLevel } from '../../../../shared/protocol/batch';
import { WARNING_LEVELS } from '../../../../shared/risk/venue-rules';
import { html, L, pageOf, type PortalContext, type PortalRouter } from '../context';
import { toHant } from '../hant';
import { venuesPage } from '../venue-views';
import { PORTAL_WARN_SCRIPT_BUILT, VENUE_BUILD_COMMAND } from '../../venue/script';
import type { RouteDeps } from './deps';

function levelOf(form: URLSearchParams): WarningLevel {
  const level = form.get('level') ?? 'test';
  if (!(WARNING_LEVELS as readonly string[]).includes(level))
    throw new PrtcError('invalid_value', 'the level is inform, test or isolate', 'level');
  return level as WarningLevel;
}

/** A whole number of seconds as the form carries it (the script's hidden fields), else invalid_interval. */
function seconds(form: URLSearchParams, k: 'start' | 'end'): number {
  const v = form.get(k) ?? '';
  if (!/^\d{1,10}$/.test(v)) throw new PrtcError('invalid_interval', 'enter when the window starts and ends', k);
  return Number(v);
}

/** The sentences typed, Traditional made from Simplified where left empty (as the advice form does). */
function textOf(form: URLSearchParams): VenueWarning['text'] | undefined {
  const get = (k: string) => (form.get(`text_${k}`) ?? '').trim();
  const text: NonNullable<VenueWarning['text']> = {};
  if (get('en')) text.en = get('en');
  if (get('zh_CN')) text.zh_CN = get('zh_CN');
  for (const hant of ['zh_TW', 'zh_HK'] as const) {
    const typed = get(hant) || (text.zh_CN ? toHant(text.zh_CN, hant) : '');
    if (typed) text[hant] = typed;
  }
  return Object.keys(text).length ? text : undefined;
}

export function venueRoutes(router: PortalRouter, { services, guards }: RouteDeps): void {
  const portal = services.portal;
  const { signedIn, checkedForm } = guards;
  const page = (ctx: PortalContext, status: number, opts: Parameters<typeof venuesPage>[1]) =>
    html(ctx, status, venuesPage(pageOf(ctx), opts));
  let script: Buffer | null = null;

  router.get('/venues', signedIn(), (ctx) => page(ctx, 200, { now: services.clock.now() }));
  router.post('/venue-codes', signedIn(), checkedForm, async (ctx) => {
    const now = services.clock.now();
    try {
      const issued = await portal.issueVenueCode(ctx.state.who!.me, levelOf(ctx.state.form!));
      page(ctx, 200, { issued, now });
    } catch (e) {
      if (!(e instanceof PrtcError) || (e.code !== 'quota_exceeded' && e.code !== 'invalid_value')) throw e;
      const text = e.code === 'quota_exceeded' ? L(ctx, 'quotaSpent') : `${L(ctx, 'invalidValue')}${e.message}`;
      page(ctx, e.code === 'quota_exceeded' ? 429 : 400, { message: { kind: 'error', text }, now });
    }
  });
  router.post('/venue-warnings', signedIn(), checkedForm, async (ctx) => {
    const form = ctx.state.form!;
    const now = services.clock.now();
    try {
      const region = form.get('region') ? Number(form.get('region')) : null;
      if (region !== null && !Number.isInteger(region))
        throw new PrtcError('invalid_region', 'the venue’s region is not a region', 'region');
      await portal.warnVenue(ctx.state.who!.me, {
        locationIdHash: form.get('locationIdHash') ?? '',
        start: seconds(form, 'start'),
        end: seconds(form, 'end'),
        level: levelOf(form),
        tel: (form.get('tel') ?? '').trim() || undefined,
        text: textOf(form),
        region,
      });
      page(ctx, 200, { message: { kind: 'ok', text: L(ctx, 'warned') }, now });
    } catch (e) {
      if (!(e instanceof PrtcError) || statusOf(e.code) !== 400) throw e;
      const why = e.code === 'invalid_hex' || e.code === 'invalid_length' ? L(ctx, 'venueNotFound') : e.message;
      page(ctx, 400, { message: { kind: 'error', text: `${L(ctx, 'invalidValue')}${why}` }, now });
    }
  });
  router.get('/static/warn.js', (ctx) => {
    try {
      script ??= readFileSync(PORTAL_WARN_SCRIPT_BUILT);
    } catch {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `The page script is not available on this server: run \`${VENUE_BUILD_COMMAND}\`.`;
      return;
    }
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = script;
  });
}
