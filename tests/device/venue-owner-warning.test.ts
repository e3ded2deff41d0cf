/**
 * Issue 31: a venue owner warns the visitors of a venue made on this phone with the health
 * authority's one-time venue warning code (device action `warnVenue`, services/api
 * `POST /v1/venue-warnings`). The key server's route is task 31a's and is not on this branch, so the
 * phone talks to a tiny HTTP server on loopback that follows the contract of shared/api/types.ts
 * (`VenueWarningRequest` → `VenueWarningResponse`, errors as §10's `{ error: { code, message } }`):
 * a code works once, never twice. End to end against the real server waits for the merge.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { SimWorld } from '../../testkit/world';
import { makePhone, venueMadeOn, type Phone } from '../helpers/phones';
import { t } from '../../miniprogram/i18n';
import type { VenueWarningRequest } from '../../shared/api/types';
import { parseVenueUrl } from '../../shared/protocol/venue';

const T0 = Date.UTC(2026, 10, 20, 12, 0, 30); // 20 Nov 2026, 12:00:30 UTC
let world: SimWorld;
let server: Server;
let url: string;
let seen: { path: string; body: VenueWarningRequest }[];
let unused: Set<string>;

function reply(res: import('node:http').ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

beforeEach(async () => {
  world = new SimWorld(T0);
  seen = [];
  unused = new Set(['VWC-7K2Q9']);
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/venue-warnings')
        return reply(res, 404, { error: { code: 'not_found', message: 'no' } });
      const body = JSON.parse(raw) as VenueWarningRequest;
      seen.push({ path: req.url, body });
      if (body.code === 'VWC-GONE1') return reply(res, 403, { error: { code: 'code_expired', message: 'expired' } });
      if (!unused.has(body.code)) {
        const everIssued = body.code === 'VWC-7K2Q9';
        return reply(res, 403, { error: { code: everIssued ? 'code_used' : 'code_unknown', message: 'refused' } });
      }
      unused.delete(body.code);
      reply(res, 200, { accepted: true, level: 'test' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
});

async function ownerWithVenue(): Promise<{ p: Phone; id: string; link: string }> {
  const p = makePhone(world, 'Owner', url);
  await p.device.start();
  const made = await venueMadeOn(p, { name: 'Noodle Bar', venueType: 2, minutes: 45 });
  return { p, ...made };
}

test('the owner warns once with the authority’s code: the venue’s hash and the window leave the phone, the name does not; the same code twice is refused', async () => {
  const { p, id, link } = await ownerWithVenue();
  // the window offered first: the last usual visit (45 minutes) ending now at the minute — 11:15 to 12:00 UTC
  const w = p.device.venueWarnWindow(id)!;
  expect(w).toEqual({ start: Date.UTC(2026, 10, 20, 11, 15) / 1000, end: Date.UTC(2026, 10, 20, 12, 0) / 1000 });

  const r = await p.device.warnVenue(id, ' vwc-7k2q9 ', w.start, w.end);
  expect(r).toEqual({ ok: true, value: { level: 'test' }, text: t('en', 'warnSent', { level: t('en', 'warnLevel_test') }) });
  // what was sent: SHA-256(locationId) of the venue's own code, computed independently here
  const locationId = parseVenueUrl(link).locationId;
  const hash = createHash('sha256').update(Buffer.from(locationId)).digest('base64url');
  expect(seen).toEqual([{ path: '/v1/venue-warnings', body: { code: 'VWC-7K2Q9', locationIdHash: hash, start: w.start, end: w.end } }]);
  expect(JSON.stringify(seen)).not.toMatch(/Noodle/);

  // the same code again: refused with the sentence that says why, and what to do
  const again = await p.device.warnVenue(id, 'VWC-7K2Q9', w.start, w.end);
  expect(again).toEqual({ ok: false, code: 'code_used', text: t('en', 'warnCodeUsed') });
  expect(await p.device.warnVenue(id, 'VWC-NOPE0', w.start, w.end)).toEqual({
    ok: false,
    code: 'code_unknown',
    text: t('en', 'warnCodeUnknown'),
  });
  expect(await p.device.warnVenue(id, 'VWC-GONE1', w.start, w.end)).toEqual({
    ok: false,
    code: 'code_expired',
    text: t('en', 'warnCodeExpired'),
  });
});

test('a bad window or an empty code is refused on the phone and nothing is sent; a server out of reach says so', async () => {
  const { p, id } = await ownerWithVenue();
  const now = Math.floor(T0 / 1000);
  const cases: [string, number, number, string, string][] = [
    ['VWC-7K2Q9', now - 600, now - 1200, 'invalid_interval', 'warnWindow_order'],
    ['VWC-7K2Q9', now - 15 * 86400, now - 14 * 86400, 'invalid_interval', 'warnWindow_too_old'],
    // one warning covers at most a day (§10 "Venue warning codes"): 25 hours are refused before sending
    ['VWC-7K2Q9', now - 25 * 3600, now, 'invalid_interval', 'warnWindow_too_long'],
    ['VWC-7K2Q9', now - 600, now + 3600, 'invalid_interval', 'warnWindow_future'],
    ['   ', now - 600, now, 'invalid_code_format', 'warnCodeEmpty'],
  ];
  for (const [code, start, end, why, key] of cases)
    expect(await p.device.warnVenue(id, code, start, end)).toEqual({ ok: false, code: why, text: t('en', key as never) });
  expect(await p.device.warnVenue('no-such-venue', 'VWC-7K2Q9', now - 600, now)).toMatchObject({ ok: false, code: 'not_found' });
  expect(seen).toEqual([]);

  // the server is gone: the host's network failure, as the sentence every network failure has
  await new Promise((r) => server.close(r));
  const off = await p.device.warnVenue(id, 'VWC-7K2Q9', now - 600, now);
  expect(off).toEqual({ ok: false, code: 'network', text: t('en', 'host_network') });
  server.listen(0, '127.0.0.1'); // for afterEach's close
});
