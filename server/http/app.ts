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

/** The client closed the connection before its request was read: nobody is left to answer. */
class ClientGone extends Error {
  override name = 'ClientGone';
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
    ctx.set('Connection', 'close'); // the rest of the body is not read: the connection cannot be reused
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of ctx.req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        // answer 413 now and close after it, rather than dropping the connection without a word
        ctx.set('Connection', 'close');
        ctx.req.pause();
        throw tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof PrtcError) throw e;
    throw new ClientGone((e as Error)?.message ?? 'aborted');
  }
  if (ctx.req.aborted) throw new ClientGone('aborted');
  const text = Buffer.concat(chunks).toString('utf8');
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
  router.post('/v1/diagnosis-keys', async (ctx) => {
    const body = await readJson(ctx);
    json(ctx, 201, await services.uploads.upload(body, { fake: ctx.get('x-fake') === '1' }));
  });
  router.get('/v1/batches', async (ctx) => {
    const extra = Object.keys(ctx.query).filter((k) => k !== 'after');
    if (extra.length) throw new PrtcError('invalid_query', `unknown query parameter "${extra[0]}"`, extra[0]);
    const raw = ctx.query.after;
    const after = raw === undefined ? 0 : strictUint32(raw);
    if (after === null)
      throw new PrtcError('invalid_query', '"after" must be a whole number ≥ 0 written in decimal, like 0 or 17', 'after');
    ctx.type = 'application/json';
    ctx.body = await services.distribution.listBatchesJson(after);
  });
  router.get('/v1/batches/:n', async (ctx) => {
    const n = strictUint32(ctx.params.n);
    // one URL per body: /v1/batches/1, never /01 or /1.0
    if (n === null || n === 0) throw new PrtcError('not_found', 'no such batch');
    const { body, etag } = await services.distribution.batchBody(n);
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('ETag', etag);
    if (noneMatchHits(ctx.get('if-none-match'), etag)) {
      ctx.status = 304;
      return;
    }
    ctx.type = 'application/octet-stream';
    ctx.body = body;
  });
  router.get('/v1/public-key', (ctx) => {
    ctx.set('Cache-Control', 'public, max-age=3600');
    json(ctx, 200, services.distribution.publicKey());
  });
  router.get('/v1/config', (ctx) => json(ctx, 200, services.distribution.config()));
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
