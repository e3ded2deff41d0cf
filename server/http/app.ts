/**
 * The Koa application: thin routes over the domains' services. Every error is the JSON error of §10
 * with a stable code (server/http/edge.ts); no stack trace ever reaches a client; access logs carry
 * no IP address, user agent or query string.
 *
 * The edges: bodies past the limit get 413 whether they announce their length or arrive chunked; a
 * client that goes away mid-body is logged as such (499), not as a server fault; numbers in paths
 * and queries are plain decimals, one canonical URL per body; If-None-Match follows RFC 9110 §13.1.2
 * (weak comparison, lists, `*`); while the server drains for shutdown every answer says
 * `Connection: close`.
 */
import Koa from 'koa';
import Router from '@koa/router';
import { MAX_BODY_BYTES } from '../../shared/api/upload';
import { PrtcError } from '../../shared/errors';
import type { Services } from '../domains';
import { asObject, errorResponse, loggablePath, onlyFields, strictUint32 } from './edge';
import { ClientGone, drainAfterEarlyAnswer, readAtMost } from './body';
import { asLogger, lineLogger, type Logger } from '../log';
import { portalRoutes } from './portal/routes';
import { venueRoutes } from './venue/routes';

export interface AppOptions {
  /** Where access-log lines go (info); null for none. */
  log?: ((line: string) => void) | Logger | null;
  /** Where unexpected errors are reported (error; defaults to `log`). */
  errorLog?: ((line: string) => void) | Logger | null;
  /** Whether the server is draining for shutdown. */
  draining?: () => boolean;
}

const tooLarge = () => new PrtcError('payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);

/** Reads a JSON body: application/json only, at most MAX_BODY_BYTES (announced or chunked), must parse. */
async function readJson(ctx: Koa.Context, optional = false): Promise<unknown> {
  const length = Number(ctx.get('content-length') || 0);
  const hasBody = length > 0 || ctx.get('transfer-encoding') !== '';
  if (!hasBody) {
    if (optional) return {};
    throw new PrtcError('malformed_json', 'the request needs a JSON body');
  }
  if (!ctx.is('application/json')) throw new PrtcError('unsupported_media_type', 'send the body as Content-Type: application/json');
  if (length > MAX_BODY_BYTES) {
    // answered before the body is read: the connection closes after the answer, and the rest of the
    // body is drained (bounded) so that the client reads the 413 instead of a reset (linger.ts)
    ctx.set('Connection', 'close');
    drainAfterEarlyAnswer(ctx.req);
    throw tooLarge();
  }
  const body = await readAtMost(ctx.req, MAX_BODY_BYTES);
  if (body === null) {
    // answer 413 now and close after it, draining the rest (bounded), rather than dropping the
    // connection without a word
    ctx.set('Connection', 'close');
    drainAfterEarlyAnswer(ctx.req);
    throw tooLarge();
  }
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new PrtcError('malformed_json', 'the body is not valid JSON');
  }
}

function bearer(ctx: Koa.Context): string | null {
  const h = ctx.get('authorization');
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : null;
}

/** The entity tags of an If-None-Match header (RFC 9110 §8.8.3): `*`, or a list of possibly weak tags. */
function entityTags(header: string): '*' | string[] {
  if (header.trim() === '*') return '*';
  const tags: string[] = [];
  for (const m of header.matchAll(/\s*(?:W\/)?("[^"]*")\s*(?:,|$)/g)) tags.push(m[1]);
  return tags;
}

/** RFC 9110 §13.1.2: If-None-Match uses the weak comparison; `*` matches any current representation. */
export function noneMatchHits(header: string, etag: string): boolean {
  if (!header) return false;
  const tags = entityTags(header);
  const opaque = etag.replace(/^W\//, '');
  return tags === '*' || tags.includes(opaque);
}

export function createApp(services: Services, opts: AppOptions = {}): Koa {
  const log = opts.log === undefined ? lineLogger((l) => process.stdout.write(l + '\n')) : asLogger(opts.log);
  const errorLog = opts.errorLog === undefined ? log : asLogger(opts.errorLog);
  const app = new Koa();
  // X-Forwarded-Proto (and so `ctx.secure`, the portal's Secure cookies) only from a proxy the operator trusts
  app.proxy = services.config.trustProxy;
  app.silent = true;
  const router = new Router();

  // Access log and error mapping.
  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    let outcome = '';
    try {
      if (opts.draining?.()) ctx.set('Connection', 'close');
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new PrtcError('not_found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (e) {
      if (e instanceof ClientGone) {
        // nobody to answer: say so in the log, and do not count it as a fault of the server
        ctx.status = 499;
        ctx.respond = false;
        outcome = ' client closed the connection mid-request';
      } else {
        const r = errorResponse(e, (message) =>
          errorLog?.error(`error ${ctx.method} ${loggablePath(ctx.path)}: ${message}`, {
            method: ctx.method,
            path: loggablePath(ctx.path),
          }),
        );
        ctx.status = r.status;
        ctx.body = r.body;
        ctx.set(r.headers);
        if (r.status === 503) outcome = ` ${r.body.error.code}`;
      }
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // Deliberately no IP address, no user agent, no query string, no one-time link's secret.
      const path = loggablePath(ctx.path);
      log?.info(`${ctx.method} ${path} ${ctx.status} ${ms.toFixed(1)}ms${outcome}`, {
        method: ctx.method,
        path,
        status: ctx.status,
        ms: Math.round(ms * 10) / 10,
      });
    }
  });
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cache-Control', 'no-store');
    await next();
  });

  const json = (ctx: Koa.Context, status: number, body: unknown) => {
    ctx.status = status;
    ctx.body = body;
  };

  router.get('/healthz', (ctx) => json(ctx, 200, { ok: true }));
  router.get('/readyz', async (ctx) => {
    await services.maintenance.ready();
    json(ctx, 200, { ok: true });
  });
  router.post('/v1/authority/codes', async (ctx) => {
    const authority = await services.authority.authenticate(bearer(ctx));
    onlyFields(asObject(await readJson(ctx, true), ''), []);
    json(ctx, 201, await services.authority.issueCode(authority));
  });
  // issue 31: a venue warning code for a venue owner, at a level (default test), by an authority's token
  router.post('/v1/authority/venue-warning-codes', async (ctx) => {
    const authority = await services.authority.authenticate(bearer(ctx));
    const body = asObject(await readJson(ctx, true), '');
    onlyFields(body, ['level']);
    if (body.level !== undefined && body.level !== 'inform' && body.level !== 'test' && body.level !== 'isolate')
      throw new PrtcError('invalid_value', 'level is "inform", "test" or "isolate"', 'level');
    json(ctx, 201, await services.authority.issueVenueWarningCode(authority, body.level));
  });
  router.post('/v1/venue-warnings', async (ctx) => json(ctx, 201, await services.venueWarnings.redeem(await readJson(ctx))));
  router.post('/v1/diagnosis-keys', async (ctx) => {
    const body = await readJson(ctx);
    json(ctx, 201, await services.uploads.upload(body, { fake: ctx.get('x-fake') === '1' }));
  });
  /** `?after=n` of a list (the only query a list takes): a whole decimal number, 0 when absent. */
  const afterParam = (ctx: Koa.Context): number => {
    const extra = Object.keys(ctx.query).filter((k) => k !== 'after');
    if (extra.length) throw new PrtcError('invalid_query', `unknown query parameter "${extra[0]}"`, extra[0]);
    const after = ctx.query.after === undefined ? 0 : strictUint32(ctx.query.after);
    if (after === null)
      throw new PrtcError('invalid_query', '"after" must be a whole number ≥ 0 written in decimal, like 0 or 17', 'after');
    return after;
  };
  /** A batch number in a body's URL: one URL per body, /1, never /01 or /1.0. */
  const batchParam = (raw: string): number => {
    const n = strictUint32(raw);
    if (n === null || n === 0) throw new PrtcError('not_found', 'no such batch');
    return n;
  };
  /** A body (§9): immutable, cacheable for good, answered 304 to a matching If-None-Match. */
  const sendBody = (ctx: Koa.Context, { body, etag }: { body: Buffer; etag: string }) => {
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', etag);
    if (noneMatchHits(ctx.get('if-none-match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/octet-stream';
    ctx.body = body;
  };
  router.get('/v1/batches', async (ctx) => {
    const after = afterParam(ctx);
    ctx.type = 'application/json';
    ctx.body = await services.distribution.listBatchesJson(after);
  });
  router.get('/v1/batches/:n', async (ctx) => sendBody(ctx, await services.distribution.batchBody(batchParam(ctx.params.n))));
  // §15: the regions' chains, each with the signed root and its head's path to it
  const chainParam = (raw: string): number => {
    const r = strictUint32(raw);
    if (r === null) throw new PrtcError('not_found', 'no such region');
    return r;
  };
  router.get('/v1/regions', async (ctx) => json(ctx, 200, await services.regionDistribution.overview()));
  router.get('/v1/regions/:r/batches', async (ctx) => {
    const region = chainParam(ctx.params.r);
    const after = afterParam(ctx);
    ctx.type = 'application/json';
    ctx.body = await services.regionDistribution.listJson(region, after);
  });
  router.get('/v1/regions/:r/batches/:n', async (ctx) => {
    const region = chainParam(ctx.params.r);
    sendBody(ctx, await services.regionDistribution.body(region, batchParam(ctx.params.n)));
  });
  router.get('/v1/public-key', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=3600');
    json(ctx, 200, services.distribution.publicKey());
  });
  // §6: version 1 for phones of earlier releases; `?v=2` the whole version-2 document (serial, advice, …)
  router.get('/v1/config', async (ctx) => {
    const extra = Object.keys(ctx.query).filter((k) => k !== 'v');
    if (extra.length) throw new PrtcError('invalid_query', `unknown query parameter "${extra[0]}"`, extra[0]);
    const v = ctx.query.v;
    if (v !== undefined && v !== '1' && v !== '2') throw new PrtcError('invalid_query', '"v" must be 1 or 2', 'v');
    json(ctx, 200, await services.riskConfig.served(v === '2' ? 2 : 1));
  });
  router.get('/v1/stats', async (ctx) => json(ctx, 200, await services.distribution.stats()));

  // the health authorities' portal: its own pages, headers and errors (server/http/portal)
  const portal = portalRoutes(services, { errorLog: (m) => errorLog?.error(m) });
  app.use(portal.routes());
  // venue owners' poster page: static, no login, nothing sent back (server/http/venue)
  app.use(venueRoutes({ linkHost: new URL(services.config.publicUrl).host, errorLog: (m) => errorLog?.error(m) }).routes());
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new PrtcError('method_not_allowed', 'this method is not allowed here'),
      notImplemented: () => new PrtcError('method_not_allowed', 'this method is not supported'),
    }),
  );
  return app;
}
