/**
 * Issue 31 in the portal over HTTP: staff issue a venue warning code at a level (an owner then
 * redeems it through the API) and warn a venue themselves — each with its audit row, which names the
 * level and the venue's hash, never a code or a name; a form without its CSRF token or with bad
 * input changes nothing.
 */
import { decodeBatch } from '../../shared/protocol/batch';
import { toBase64url } from '../../shared/protocol/codec';
import { DB_KINDS } from '../helpers/db';
import { isLoginPage, PortalClient, textOf } from '../helpers/portal-client';
import { call, startTestServer, type TestServer } from '../helpers/server';

const PASSWORD = 'Vermilion-otter-58-quietly';
const HASH = 'cd'.repeat(32);

describe.each(DB_KINDS)('portal venue warnings on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  async function person(username: string) {
    const { token } = await s.services.portal.createUser('Clinic A', username, 'admin');
    const c = new PortalClient(s.url);
    await c.setPassword(`${s.url}/portal/setup/${token}`, PASSWORD);
    expect(isLoginPage((await c.login(username, PASSWORD)).html)).toBe(false);
    return c;
  }
  const pending = () => s.services.uploads.countPending();
  const auditRows = async (c: PortalClient) => (await c.get('/portal/audit')).html;

  test('a venue warning code at a level: shown once, redeemed by the owner, audited by level only', async () => {
    s = await startTestServer(kind);
    const c = await person('alice');
    expect((await c.get('/portal/venues')).status).toBe(200);
    const issued = await c.post('/portal/venue-codes', { level: 'isolate' });
    expect(issued.status).toBe(200);
    const code = textOf(issued.html, 'venue-code')!;
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    const r = await call(s.url, 'POST', '/v1/venue-warnings', {
      code,
      locationIdHash: toBase64url(Buffer.from(HASH, 'hex')),
      start: s.clock.now() - 7200,
      end: s.clock.now() - 3600,
    });
    expect([r.status, r.body.level]).toEqual([201, 'isolate']);
    const audit = await auditRows(c);
    expect(audit).toContain('venue_code_issued');
    expect(audit).not.toContain(code);
  });

  test('the authority warns a venue: level, number and sentences in the next batch; audit names the hash', async () => {
    s = await startTestServer(kind);
    const c = await person('alice');
    await c.get('/portal/venues');
    const now = s.clock.now();
    const done = await c.post('/portal/venue-warnings', {
      locationIdHash: HASH,
      region: '',
      start: String(now - 3 * 86400),
      end: String(now - 2 * 86400), // a day long: more than an owner may, within what the authority may
      level: 'inform',
      tel: '12320',
      text_en: 'Watch for symptoms.',
      text_zh_CN: '',
      text_zh_TW: '',
      text_zh_HK: '',
    });
    expect(done.status).toBe(200);
    expect(await pending()).toEqual({ keys: 0, warnings: 1 });
    expect(await s.services.publishing.publish()).toEqual([1]);
    const w = decodeBatch(new Uint8Array((await call(s.url, 'GET', '/v1/batches/1')).raw)).warnings[0];
    expect(w).toMatchObject({ source: 'authority', level: 'inform', tel: '12320', text: { en: 'Watch for symptoms.' } });
    expect([w.startEnin, w.endEnin]).toEqual([(now - 3 * 86400) / 600, (now - 2 * 86400) / 600]);
    expect(await auditRows(c)).toContain(`inform ${HASH}`);
  });

  test('bad input and a missing CSRF token change nothing', async () => {
    s = await startTestServer(kind);
    const c = await person('alice');
    await c.get('/portal/venues');
    const now = s.clock.now();
    const good = { locationIdHash: HASH, region: '', start: String(now - 7200), end: String(now - 3600), level: 'test', tel: '' };
    const bad: Record<string, string>[] = [
      { locationIdHash: '' }, // the script found no venue
      { locationIdHash: 'zz'.repeat(32) },
      { start: '', end: '' },
      { end: String(now + 7200) }, // in the future
      { start: String(now - 15 * 86400) }, // before the 14 days
      { level: 'panic' },
      { tel: 'call the mayor' },
      { region: '999999' },
      { text_en: ' x'.repeat(600) }, // a note over 1024 bytes
    ];
    for (const b of bad) {
      const r = await c.post('/portal/venue-warnings', { ...good, ...b });
      expect([r.status, b]).toEqual([400, b]);
      expect(r.html).toMatch(/role="alert"/);
    }
    const forged = await c.post('/portal/venue-warnings', good, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await pending()).toEqual({ keys: 0, warnings: 0 });
    expect(await auditRows(c)).not.toContain('venue_warned');
    expect((await s.services.authority.counts()).liveCodes).toBe(0);
  });
});
