/**
 * Issue 31: venue warning codes over HTTP (docs/protocol.md §10 "Venue warning codes"): issued by an
 * authority's token at a level, redeemed once by a venue owner, published in the next batch with
 * source and level (§9 "Levels"); twice never, bad input changes nothing.
 */
import { decodeBatch } from '../../shared/protocol/batch';
import { toBase64url } from '../../shared/protocol/codec';
import { DB_KINDS } from '../helpers/db';
import { call, issueCode, newToken, startTestServer, type TestServer } from '../helpers/server';

const HASH = new Uint8Array(32).fill(0xab);
const OTHER = new Uint8Array(32).fill(0x01);

describe.each(DB_KINDS)('venue warnings on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  async function venueCode(token: string, level?: string): Promise<{ code: string; level: string; expiresAt: number }> {
    const r = await call(s.url, 'POST', '/v1/authority/venue-warning-codes', level ? { level } : undefined, {
      authorization: `Bearer ${token}`,
    });
    expect(r.status).toBe(201);
    return r.body;
  }
  const body = (code: string, extra: Record<string, unknown> = {}) => ({
    code,
    locationIdHash: toBase64url(HASH),
    start: s.clock.now() - 3 * 3600 + 60,
    end: s.clock.now() - 3600 - 30,
    ...extra,
  });
  const pending = () => s.services.uploads.countPending();

  test('an owner warns once with the code’s level; the next batch carries it in "PrTCB003"; a replay is refused', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    const issued = await venueCode(token, 'isolate');
    expect(issued.level).toBe('isolate');
    expect(issued.code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const first = await call(s.url, 'POST', '/v1/venue-warnings', body(issued.code));
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ accepted: true, level: 'isolate' });
    const again = await call(s.url, 'POST', '/v1/venue-warnings', body(issued.code));
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('code_used');
    expect(await pending()).toEqual({ keys: 0, warnings: 1 });

    expect(await s.services.publishing.publish()).toEqual([1]);
    const raw = (await call(s.url, 'GET', '/v1/batches/1')).raw;
    expect(raw.subarray(0, 8).toString()).toBe('PrTCB003');
    const w = decodeBatch(new Uint8Array(raw)).warnings;
    expect(w).toHaveLength(1);
    // the clock is 2026-11-23 12:00 UTC = interval t/600; the window 2:59 … 1:00:30 before it covers
    // the intervals from 18 before (floor) up to 6 before (ceil)
    const now = s.clock.now() / 600;
    expect(w[0]).toMatchObject({ source: 'owner', level: 'isolate', startEnin: now - 18, endEnin: now - 6 });
    expect(Buffer.from(w[0].locationIdHash).toString('hex')).toBe('ab'.repeat(32));
    expect(w[0].tel).toBeUndefined();
  });

  test('the level defaults to test; a batch with only visitors’ warnings keeps "PrTCB001"', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    expect((await venueCode(token)).level).toBe('test');
    const upload = await call(s.url, 'POST', '/v1/diagnosis-keys', {
      code: await issueCode(s, token),
      keys: [{ aemk: toBase64url(new Uint8Array(32).fill(7)), i: s.clock.today - 144 }],
      checkins: [{ locationIdHash: toBase64url(OTHER), startEnin: s.clock.now() / 600 - 12, endEnin: s.clock.now() / 600 - 9 }],
    });
    expect(upload.status).toBe(201);
    expect(await s.services.publishing.publish()).toEqual([1]);
    expect((await call(s.url, 'GET', '/v1/batches/1')).raw.subarray(0, 8).toString()).toBe('PrTCB001');
  });

  test('twelve owners redeem one code at once: exactly one 201, one warning stored', async () => {
    s = await startTestServer(kind);
    const { code } = await venueCode(await newToken(s));
    const results = await Promise.all(Array.from({ length: 12 }, () => call(s.url, 'POST', '/v1/venue-warnings', body(code))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body.error.code).toBe('code_used');
    expect(await pending()).toEqual({ keys: 0, warnings: 1 });
  });

  test('bad input changes nothing and leaves the code usable; wrong codes are counted, never lock anyone out', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    const { code } = await venueCode(token, 'inform');
    const now = s.clock.now();
    const bad: [Record<string, unknown>, string][] = [
      [{ end: now - 3 * 3600 }, 'invalid_interval'], // ends before it starts
      [{ start: now - 26 * 3600, end: now - 1 }, 'invalid_interval'], // 26 h long
      [{ start: now - 15 * 86400, end: now - 15 * 86400 + 600 }, 'invalid_interval'], // 15 days ago
      [{ start: now - 600, end: now + 3600 }, 'invalid_interval'], // ends in an hour
      [{ locationIdHash: toBase64url(new Uint8Array(31)) }, 'invalid_length'],
      [{ name: 'Cafe' }, 'unknown_field'],
      [{ region: 999999 }, 'invalid_region'],
      [{ code: 'nope' }, 'invalid_code_format'],
    ];
    for (const [extra, error] of bad) {
      const r = await call(s.url, 'POST', '/v1/venue-warnings', body(code, extra));
      expect([r.status, r.body.error.code, extra]).toEqual([400, error, extra]);
    }
    // an upload code is not a venue warning code, and a wrong one is counted
    const wrongBefore = await s.services.uploads.wrongCodes(1);
    const uploadCode = await issueCode(s, token);
    expect((await call(s.url, 'POST', '/v1/venue-warnings', body(uploadCode))).body.error.code).toBe('code_unknown');
    expect(await s.services.uploads.wrongCodes(1)).toBe(wrongBefore + 1);
    expect(await pending()).toEqual({ keys: 0, warnings: 0 });
    // … and the real code still works, at its level, after all that
    const ok = await call(s.url, 'POST', '/v1/venue-warnings', body(code));
    expect([ok.status, ok.body.level]).toEqual([201, 'inform']);
  });

  test('an expired code is refused; issuing needs a token and a known level', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    const { code, expiresAt } = await venueCode(token);
    s.clock.advance(expiresAt - s.clock.now());
    expect((await call(s.url, 'POST', '/v1/venue-warnings', body(code))).body.error.code).toBe('code_expired');
    expect((await call(s.url, 'POST', '/v1/authority/venue-warning-codes')).body.error.code).toBe('missing_token');
    const r = await call(s.url, 'POST', '/v1/authority/venue-warning-codes', { level: 'panic' }, { authorization: `Bearer ${token}` });
    expect([r.status, r.body.error.code]).toEqual([400, 'invalid_value']);
  });

  test('a venue naming its region: the region’s chain gets it, and the national one while NATIONAL_CHAIN is on', async () => {
    s = await startTestServer(kind);
    const { code } = await venueCode(await newToken(s));
    const region = s.services.regions[0].code;
    expect((await call(s.url, 'POST', '/v1/venue-warnings', body(code, { region }))).status).toBe(201);
    expect(await pending()).toEqual({ keys: 0, warnings: 1 });
    expect(await s.services.uploads.countPendingInRegions()).toEqual({ keys: 0, warnings: 1 });
  });
});
