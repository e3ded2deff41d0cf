/**
 * The cloud functions, one thin adapter each over the server's domains. Each takes the fields of
 * its HTTP counterpart's body or query in `event`.
 */
import { toBase64url } from '../shared/protocol/codec';
import { PrtcError } from '../shared/errors';
import { onlyFields, strictUint32 } from '../server/http/edge';
import { handler } from './core';

/** POST /v1/authority/codes — the authority's bearer token comes as `event.token`. */
export const issueCode = handler('issueCode', async (s, req) => {
  onlyFields(req, ['token']);
  const token = typeof req.token === 'string' ? req.token : null;
  return s.authority.issueCode(await s.authority.authenticate(token));
});

/** Last time this instance shared its upload durations (fake-delay.ts); the Koa server does it on a timer. */
let timingsSharedAt = 0;

/** POST /v1/diagnosis-keys — `{ code, keys, checkins? }`; `fake: true` is the X-Fake: 1 cover upload. */
export const uploadKeys = handler('uploadKeys', async (s, req) => {
  if (Date.now() - timingsSharedAt > 30_000) {
    timingsSharedAt = Date.now();
    await s.uploads.shareTimings().catch(() => undefined);
  }
  const { fake, ...body } = req;
  if (fake !== undefined && typeof fake !== 'boolean') throw new PrtcError('invalid_type', '"fake" must be true or false', 'fake');
  return s.uploads.upload(body, { fake: fake === true });
});

/** Issue 31, POST /v1/venue-warnings — `{ code, locationIdHash, start, end, region? }`: a venue owner's warning. */
export const warnVenue = handler('warnVenue', (s, req) => s.venueWarnings.redeem(req));

/** GET /v1/batches?after=n */
export const listBatches = handler('listBatches', async (s, req) => {
  onlyFields(req, ['after']);
  const after = req.after === undefined ? 0 : strictUint32(req.after);
  if (after === null) throw new PrtcError('invalid_query', '"after" must be a whole number ≥ 0 written in decimal, like 0 or 17', 'after');
  return s.distribution.listBatches(after);
});

/** GET /v1/batches/:n — the binary body as base64url (cloud functions return JSON), with its ETag. */
export const getBatch = handler('getBatch', async (s, req) => {
  onlyFields(req, ['n']);
  const n = strictUint32(req.n);
  if (n === null || n === 0) throw new PrtcError('not_found', 'no such batch');
  const { body, etag } = await s.distribution.batchBody(n);
  return { n, etag, body: toBase64url(new Uint8Array(body.buffer, body.byteOffset, body.length)) };
});

/** §15 GET /v1/regions/<region>/batches?after=n */
export const listRegionBatches = handler('listRegionBatches', async (s, req) => {
  onlyFields(req, ['region', 'after']);
  const region = strictUint32(req.region);
  if (region === null) throw new PrtcError('not_found', 'no such region');
  const after = req.after === undefined ? 0 : strictUint32(req.after);
  if (after === null) throw new PrtcError('invalid_query', '"after" must be a whole number ≥ 0 written in decimal, like 0 or 17', 'after');
  return s.regionDistribution.list(region, after);
});

/** §15 GET /v1/regions/<region>/batches/<n> — the body as base64url, with its ETag. */
export const getRegionBatch = handler('getRegionBatch', async (s, req) => {
  onlyFields(req, ['region', 'n']);
  const region = strictUint32(req.region);
  const n = strictUint32(req.n);
  if (region === null || n === null || n === 0) throw new PrtcError('not_found', 'no such batch');
  const { body, etag } = await s.regionDistribution.body(region, n);
  return { region, n, etag, body: toBase64url(new Uint8Array(body.buffer, body.byteOffset, body.length)) };
});

/** §15 GET /v1/regions */
export const regions = handler('regions', (s, req) => {
  onlyFields(req, []);
  return s.regionDistribution.overview();
});

/** GET /v1/public-key */
export const publicKey = handler('publicKey', (s, req) => {
  onlyFields(req, []);
  return s.distribution.publicKey();
});

/** GET /v1/config — the signed configuration: version 1, or `{ v: 2 }` the whole version 2 (§6). */
export const getConfig = handler('getConfig', (s, req) => {
  onlyFields(req, ['v']);
  if (req.v !== undefined && req.v !== 1 && req.v !== 2) throw new PrtcError('invalid_value', '"v" must be 1 or 2', 'v');
  return s.riskConfig.served(req.v === 2 ? 2 : 1);
});

/**
 * Timer: publishes pending keys as batches, and signs the head again when its signature is
 * HEAD_RESIGN_S old (§9). A timer event carries Type/TriggerName/Time, nothing else is read.
 */
export const publish = handler(
  'publish',
  async (s) => {
    const published = await s.publishing.publish();
    const resigned = published.length ? null : await s.publishing.resignHead();
    return resigned === null ? { published } : { published, resignedAt: resigned };
  },
  { timerOnly: true },
);

/** Timer: deletes what is past retention. */
export const retention = handler('retention', async (s) => ({ deleted: await s.maintenance.retention() }), { timerOnly: true });

/** Each function's timer triggers, written to its config.json (cron: second minute hour day month weekday year). */
export const TRIGGERS: Record<string, { name: string; type: 'timer'; config: string }[]> = {
  publish: [{ name: 'every10min', type: 'timer', config: '0 */10 * * * * *' }],
  retention: [{ name: 'hourly', type: 'timer', config: '0 0 * * * * *' }],
};

export const FUNCTIONS = {
  issueCode,
  uploadKeys,
  warnVenue,
  listBatches,
  getBatch,
  listRegionBatches,
  getRegionBatch,
  regions,
  publicKey,
  getConfig,
  publish,
  retention,
};
