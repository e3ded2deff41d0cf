/**
 * The health-authority portal over real HTTP, on SQLite and MariaDB, with a clock the test moves:
 * sessions that time out, links that expire, locks that lift, quotas that renew at midnight — what
 * a browser cannot be made to wait for. The browser story and the attacks in a real browser are in
 * tests/browser/portal.test.ts.
 */
import { DB_KINDS } from '../helpers/db';
import { authenticator } from '../helpers/totp';
import { isLoginPage, PortalClient, textOf } from '../helpers/portal-client';
import { call, startTestServer, type TestServer } from '../helpers/server';
import { ROLLING_PERIOD } from '../../shared/protocol/time';
import { randomKey } from '../helpers/server';
import type { Me } from '../../server/domains/portal/service';
import { createAuthorityRepository } from '../../server/domains/authority/repository';

const PASSWORD = 'Vermilion-otter-58-quietly';
const CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

describe.each(DB_KINDS)('portal on %s', (kind) => {
  let s: TestServer;
  afterEach(async () => {
    await s?.stop();
  });

  /** A person with a password set through their link, and a client logged in as them. */
  async function person(realm: string, username: string, role: 'admin' | 'issuer' = 'admin') {
    const { token } = await s.services.portal.createUser(realm, username, role);
    const c = new PortalClient(s.url);
    const set = await c.setPassword(`${s.url}/portal/setup/${token}`, PASSWORD);
    expect(set.status).toBe(200);
    const home = await c.login(username, PASSWORD);
    expect(isLoginPage(home.html)).toBe(false);
    return c;
  }
  const codesIssued = async () => (await s.services.authority.counts()).liveCodes;

  test('a link sets a password once (common ones refused), a login issues a code the API then accepts, the look-up says used', async () => {
    s = await startTestServer(kind);
    const { token } = await s.services.portal.createUser('Clinic A', 'alice', 'admin');
    const link = `${s.url}/portal/setup/${token}`;
    const c = new PortalClient(s.url);
    const common = await c.setPassword(link, 'password1234');
    expect(common.status).toBe(400);
    expect(common.html).toMatch(/role="alert">[^<]*(太常见|too common)/);
    const short = await c.post(new URL(link).pathname, { password: 'Ab1!', password2: 'Ab1!' });
    expect(short.status).toBe(400);
    const differ = await c.post(new URL(link).pathname, { password: PASSWORD, password2: PASSWORD + 'x' });
    expect(differ.status).toBe(400);
    expect((await c.post(new URL(link).pathname, { password: PASSWORD, password2: PASSWORD })).status).toBe(200);
    // used up: a second use is refused, and does not change the password
    expect((await c.setPassword(link, 'Another-long-passphrase-71')).status).toBe(410);
    expect(isLoginPage((await c.login('alice', 'Another-long-passphrase-71')).html)).toBe(true);
    // the link's secret is in no log line
    expect(s.logs.join('\n')).not.toContain(token);

    const home = await c.login('Alice', PASSWORD); // usernames are not case-sensitive
    expect(home.status).toBe(200);
    expect(home.html).toMatch(/action="\/portal\/codes"/);
    const issued = await c.post('/portal/codes', {});
    expect(issued.status).toBe(200);
    const code = textOf(issued.html, 'code')!;
    const shortId = textOf(issued.html, 'short-id')!;
    expect(code).toMatch(CODE);
    expect(shortId).toMatch(/^[0-9A-Z]{4,16}$/);
    expect(issued.html).toContain(`data-expires="${s.clock.now() + 3600}"`); // CODE_LIFETIME_S's default, an hour
    expect(issued.html).toMatch(/<svg class="qr" role="img"/);
    expect(issued.headers.get('cache-control')).toBe('no-store');

    const before = await c.get(`/portal/codes?id=${shortId}`);
    expect(textOf(before.html, 'status')).toMatch(/未使用|unused/);
    const up = await call(s.url, 'POST', '/v1/diagnosis-keys', { code, keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }] });
    expect(up.status).toBe(201);
    const after = await c.get(`/portal/codes?id=${shortId.toLowerCase()}`);
    expect(textOf(after.html, 'status')).toMatch(/已使用|used/);
    // a used code cannot be voided
    expect((await c.post(`/portal/codes/${shortId}/void`, {})).status).toBe(409);
  });

  test('sessions: HttpOnly SameSite=Strict cookies, a new id at login, idle and absolute time-outs, logout ends it on the server', async () => {
    s = await startTestServer(kind, { portalIdleMin: 30, portalSessionHours: 12 });
    const { token } = await s.services.portal.createUser('Clinic A', 'alice', 'admin');
    const c = new PortalClient(s.url);
    await c.setPassword(`${s.url}/portal/setup/${token}`, PASSWORD);
    // a session id planted before login (fixation) is not the one after it
    c.jar.set('prtc_s', 'planted-by-someone-else');
    await c.get('/portal/login');
    const loginAnswer = await c.post('/portal/login', { username: 'alice', password: PASSWORD }, { follow: false });
    expect(loginAnswer.status).toBe(302);
    const sc = loginAnswer.cookies.find((k) => k.name === 'prtc_s')!;
    expect(sc.value).not.toBe('planted-by-someone-else');
    expect(sc.value).toMatch(/^[\w-]{43}$/); // 32 random bytes
    expect(sc.attrs).toMatchObject({ httponly: true, samesite: 'strict', path: '/portal' });
    expect(sc.attrs.secure).toBeUndefined(); // plain HTTP, no trusted proxy
    expect(isLoginPage((await c.get('/portal/')).html)).toBe(false);

    // idle: 29 minutes pass, a page is opened (the session lives on); 31 more without one, it is over
    s.clock.advance(29 * 60);
    expect(isLoginPage((await c.get('/portal/')).html)).toBe(false);
    s.clock.advance(31 * 60);
    expect(isLoginPage((await c.get('/portal/')).html)).toBe(true);

    // absolute: busy all day, every 20 minutes, still ends after 12 hours
    await c.login('alice', PASSWORD);
    let lasted = 0;
    for (; lasted < 14 * 3600; lasted += 20 * 60) {
      s.clock.advance(20 * 60);
      if (isLoginPage((await c.get('/portal/')).html)) break;
    }
    // the last page that opened came at or before 12 h, the first refused one after
    expect(lasted).toBeLessThanOrEqual(12 * 3600);
    expect(lasted + 20 * 60).toBeGreaterThan(12 * 3600);

    // logout ends the session on the server: the old cookie replayed is not logged in
    await c.login('alice', PASSWORD);
    const old = c.jar.get('prtc_s')!;
    const oldCsrf = c.csrf!;
    const out = await c.post('/portal/logout', {});
    expect(isLoginPage(out.html)).toBe(true);
    const replay = new PortalClient(s.url);
    replay.jar.set('prtc_s', old);
    expect(isLoginPage((await replay.get('/portal/')).html)).toBe(true);
    const live = await codesIssued();
    const forged = await replay.post('/portal/codes', {}, { csrf: oldCsrf });
    expect(isLoginPage(forged.html)).toBe(true);
    expect(await codesIssued()).toBe(live);
  });

  test('Secure cookies when TLS ended at a trusted proxy (TRUST_PROXY), and only then', async () => {
    for (const trustProxy of [true, false]) {
      s = await startTestServer(kind, { trustProxy });
      const { token } = await s.services.portal.createUser('Clinic A', 'alice', 'admin');
      const viaTls = new PortalClient(s.url, { 'x-forwarded-proto': 'https' });
      await viaTls.setPassword(`${s.url}/portal/setup/${token}`, PASSWORD);
      await viaTls.get('/portal/login');
      const r = await viaTls.post('/portal/login', { username: 'alice', password: PASSWORD }, { follow: false });
      const cookie = r.cookies.find((k) => k.name === 'prtc_s')!;
      expect(cookie.attrs.secure === true).toBe(trustProxy);
      await s.stop();
      s = undefined as unknown as TestServer;
    }
  });

  test('CSRF: without the token, with a wrong one, from another origin, or not a form: 403 and nothing issued', async () => {
    s = await startTestServer(kind);
    const c = await person('Clinic A', 'alice');
    await c.get('/portal/');
    const live = await codesIssued();
    const refusals = [
      await c.post('/portal/codes', {}, { csrf: null }),
      await c.post('/portal/codes', {}, { csrf: 'x'.repeat(43) }),
      await c.post('/portal/codes', {}, { headers: { origin: 'http://evil.example' } }),
      await c.post('/portal/codes', {}, { headers: { origin: 'null' } }),
      await c.post('/portal/codes', {}, { headers: { 'content-type': 'text/plain' } }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(await codesIssued()).toBe(live);
    // the login form is protected too (login CSRF): no token, no login
    const fresh = new PortalClient(s.url);
    expect((await fresh.post('/portal/login', { username: 'alice', password: PASSWORD }, { csrf: null })).status).toBe(403);
    expect(fresh.jar.has('prtc_s')).toBe(false);
    // and with it, from this origin, it works
    expect((await c.post('/portal/codes', {}, { headers: { origin: s.url } })).status).toBe(200);
    expect(await codesIssued()).toBe(live + 1);
  });

  test('password guessing: 300 wrong guesses never get in and lock unknown browsers out, not the owner’s browser nor anyone else', async () => {
    s = await startTestServer(kind);
    const owner = await person('Clinic A', 'bob', 'issuer'); // bob's own browser: it has a device cookie now
    expect(owner.jar.has('prtc_d')).toBe(true);
    await owner.post('/portal/logout', {});
    await person('Clinic A', 'carol', 'admin');

    const attacker = new PortalClient(s.url);
    await attacker.get('/portal/login');
    const answers: number[] = [];
    for (let k = 0; k < 300; k += 25) {
      const batch = await Promise.all(
        Array.from({ length: 25 }, (_, j) =>
          attacker.post('/portal/login', { username: 'bob', password: `guess-${k + j}-${PASSWORD}` }, { follow: false }),
        ),
      );
      answers.push(...batch.map((r) => r.status));
      expect(batch.every((r) => !r.cookies.some((x) => x.name === 'prtc_s' && x.value))).toBe(true);
    }
    expect(answers.filter((x) => x !== 401)).toEqual([]);
    // sent 25 at a time, still only 5 guesses were checked at all: each try is counted before its check
    const realmId = (await s.services.portal.realmId('Clinic A'))!;
    const events = await s.services.portal.auditLog({ realmId } as Me, 1000);
    const about = (action: string) => events.filter((e) => e.action === action && e.subject === 'bob').length;
    expect([about('login_failed'), about('login_locked_out')]).toEqual([5, 295]);
    // the right password from an unknown browser is refused now: the account is locked for those
    const stranger = new PortalClient(s.url);
    expect(isLoginPage((await stranger.login('bob', PASSWORD)).html)).toBe(true);
    // bob's own browser still gets in, and so does carol from a new one
    expect(isLoginPage((await owner.login('bob', PASSWORD)).html)).toBe(false);
    expect(isLoginPage((await new PortalClient(s.url).login('carol', PASSWORD)).html)).toBe(false);
    // the admin sees the failed logins counted
    const admin = new PortalClient(s.url);
    await admin.login('carol', PASSWORD);
    const stats = await admin.get('/portal/stats');
    expect(Number(textOf(stats.html, 'failed-today'))).toBeGreaterThanOrEqual(301);
    // after 15 minutes an unknown browser may try again (and the right password works)
    s.clock.advance(15 * 60 + 1);
    expect(isLoginPage((await stranger.login('bob', PASSWORD)).html)).toBe(false);
  }, 120_000);

  test('a stolen device cookie used for guessing locks only that cookie', async () => {
    s = await startTestServer(kind);
    const owner = await person('Clinic A', 'bob', 'issuer');
    const stolen = new PortalClient(s.url);
    stolen.jar.set('prtc_d', owner.jar.get('prtc_d')!);
    for (let k = 0; k < 12; k++) await stolen.login('bob', `guess-${k}-${PASSWORD}`);
    expect(isLoginPage((await stolen.login('bob', PASSWORD)).html)).toBe(true);
    // unknown browsers are not locked by that (their own counter is untouched)
    expect(isLoginPage((await new PortalClient(s.url).login('bob', PASSWORD)).html)).toBe(false);
  });

  test('without a session every page is the login page (downloads 401), and no POST changes anything; issuers do not see admin pages', async () => {
    s = await startTestServer(kind);
    await person('Clinic A', 'alice');
    const anon = new PortalClient(s.url);
    for (const path of [
      '/portal',
      '/portal/',
      '/portal/codes?id=ABCD',
      '/portal/security',
      '/portal/people',
      '/portal/keys',
      '/portal/settings',
      '/portal/stats',
      '/portal/audit',
      '/portal/no-such-page',
    ]) {
      const r = await anon.get(path);
      expect([path, isLoginPage(r.html)]).toEqual([path, true]);
      expect(r.html).not.toContain('alice');
    }
    for (const path of ['/portal/stats.csv', '/portal/stats.json']) expect((await anon.get(path)).status).toBe(401);
    await anon.get('/portal/login'); // a valid pre-login form token, to show it is not the token that stops these
    const realmId = (await s.services.portal.realmId('Clinic A'))!;
    const peopleNow = async () => (await s.services.portal.people({ realmId } as Me)).length;
    const people = await peopleNow();
    for (const [path, fields] of [
      ['/portal/codes', {}],
      ['/portal/codes/ABCD/void', {}],
      ['/portal/people', { username: 'mallory', role: 'admin' }],
      ['/portal/keys', { name: 'evil' }],
      ['/portal/settings', { dailyQuota: '100000', personQuota: '100000' }],
      ['/portal/security/start', {}],
    ] as const) {
      const r = await anon.post(path, fields);
      expect([path, r.status === 403 || isLoginPage(r.html)]).toEqual([path, true]);
    }
    expect(await codesIssued()).toBe(0);
    expect(await peopleNow()).toBe(people);
    expect(await s.services.authority.listTokens(realmId)).toEqual([]);

    const issuer = await person('Clinic A', 'ivan', 'issuer');
    for (const path of ['/portal/people', '/portal/keys', '/portal/settings', '/portal/stats', '/portal/audit'])
      expect((await issuer.get(path)).status).toBe(403);
    expect((await issuer.get('/portal/stats.json')).status).toBe(403);
    expect((await issuer.post('/portal/people', { username: 'mallory', role: 'admin' })).status).toBe(403);
  });

  test('quotas: per person and per realm, per UTC day; over quota nothing is issued, by the portal or by the realm’s API key', async () => {
    s = await startTestServer(kind);
    const admin = await person('Clinic A', 'alice');
    await admin.get('/portal/settings');
    expect((await admin.post('/portal/settings', { dailyQuota: '3', personQuota: '2' })).status).toBe(200);
    expect((await admin.post('/portal/settings', { dailyQuota: '-1', personQuota: '2' })).status).toBe(400);
    const bob = await person('Clinic A', 'bob', 'issuer');
    for (let k = 0; k < 2; k++) expect((await bob.post('/portal/codes', {})).status).toBe(200);
    await bob.get('/portal/');
    const over = await bob.post('/portal/codes', {});
    expect(over.status).toBe(429);
    expect(over.html).toMatch(/配额已用完|quota is spent/);
    expect(over.html).not.toMatch(/id="code"/);
    expect((await admin.post('/portal/codes', {})).status).toBe(200); // alice's own quota; the realm's third
    await admin.get('/portal/');
    expect((await admin.post('/portal/codes', {})).status).toBe(429); // the realm's is spent
    // the realm's API key (a lab system) counts against the same realm quota
    await admin.get('/portal/keys');
    const keyPage = await admin.post('/portal/keys', { name: 'lab-1' });
    const key = textOf(keyPage.html, 'new-key')!;
    const api = await call(s.url, 'POST', '/v1/authority/codes', undefined, { authorization: `Bearer ${key}` });
    expect(api.status).toBe(429);
    expect(api.body.error.code).toBe('quota_exceeded');
    expect(await codesIssued()).toBe(3);
    // a new UTC day, a new quota
    s.clock.advance(86400);
    expect((await call(s.url, 'POST', '/v1/authority/codes', undefined, { authorization: `Bearer ${key}` })).status).toBe(201);
    await bob.login('bob', PASSWORD);
    expect((await bob.post('/portal/codes', {})).status).toBe(200);
  });

  test('refused form values are told in the page’s language: a taken username, a bad key name, a bad quota', async () => {
    s = await startTestServer(kind);
    const admin = await person('Clinic A', 'alice');
    await admin.get('/portal/people?lang=zh'); // the language switch: a cookie, then the page again
    await admin.get('/portal/people');
    const alert = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1] ?? null;
    const taken = await admin.post('/portal/people', { username: 'alice', role: 'issuer' });
    expect([taken.status, alert(taken.html)]).toEqual([400, '该用户名已被使用。']);
    await admin.get('/portal/keys');
    const badName = await admin.post('/portal/keys', { name: 'no spaces allowed' });
    expect([badName.status, alert(badName.html)]).toEqual([400, 'API 密钥名称为 1–64 个字母、数字或“.”“_”“-”。']);
    expect((await admin.post('/portal/keys', { name: 'lab-1' })).status).toBe(200);
    const twice = await admin.post('/portal/keys', { name: 'lab-1' });
    expect([twice.status, alert(twice.html)]).toEqual([400, '已有同名的有效 API 密钥（先停用它才能重用该名称）。']);
    await admin.get('/portal/settings');
    const quota = await admin.post('/portal/settings', { dailyQuota: '100001', personQuota: '2' });
    expect([quota.status, alert(quota.html)]).toEqual([400, '配额为 0 至 100000 的整数。']);
    expect(await s.services.portal.people({ realmId: (await s.services.portal.realmId('Clinic A'))! } as Me)).toHaveLength(1);
  });

  test('a quota holds when a person issues in parallel: 12 requests at once under a quota of 3 issue exactly 3', async () => {
    s = await startTestServer(kind);
    const admin = await person('Clinic A', 'alice');
    await admin.get('/portal/settings');
    expect((await admin.post('/portal/settings', { dailyQuota: '1000', personQuota: '3' })).status).toBe(200);
    await admin.get('/portal/');
    const statuses = await Promise.all(Array.from({ length: 12 }, () => admin.post('/portal/codes', {}).then((r) => r.status)));
    expect([statuses.filter((x) => x === 200).length, statuses.filter((x) => x === 429).length]).toEqual([3, 9]);
    expect(await codesIssued()).toBe(3);
  });

  test('statistics by day (issued, used, expired, voided) as a table, CSV and JSON; an audit log without codes or addresses; realms apart', async () => {
    s = await startTestServer(kind);
    const admin = await person('Clinic A', 'alice');
    const issued: { code: string; shortId: string }[] = [];
    for (let k = 0; k < 4; k++) {
      await admin.get('/portal/');
      const p = await admin.post('/portal/codes', {});
      issued.push({ code: textOf(p.html, 'code')!, shortId: textOf(p.html, 'short-id')! });
    }
    // one used, one voided, one left to expire, one still live at the end
    expect(
      (
        await call(s.url, 'POST', '/v1/diagnosis-keys', {
          code: issued[0].code,
          keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
        })
      ).status,
    ).toBe(201);
    await admin.get(`/portal/codes?id=${issued[1].shortId}`);
    expect((await admin.post(`/portal/codes/${issued[1].shortId}/void`, {})).status).toBe(200);
    expect(
      (
        await call(s.url, 'POST', '/v1/diagnosis-keys', {
          code: issued[1].code,
          keys: [{ aemk: randomKey(), i: s.clock.today - ROLLING_PERIOD }],
        })
      ).status,
    ).not.toBe(201);
    s.clock.advance(3601);
    await admin.login('alice', PASSWORD);
    await admin.get('/portal/');
    issued.push({ code: textOf((await admin.post('/portal/codes', {})).html, 'code')!, shortId: '' });
    const today = new Date(s.clock.now() * 1000).toISOString().slice(0, 10);

    const json = await call(s.url, 'GET', '/portal/stats.json', undefined, { cookie: admin.cookieHeader() });
    expect(json.status).toBe(200);
    expect(json.body.realm).toBe('Clinic A');
    expect(json.body.days).toHaveLength(14);
    expect(json.body.days.at(-1)).toEqual({ date: today, issued: 5, used: 1, expired: 2, voided: 1 });
    const csv = await admin.get('/portal/stats.csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.html.trim().split('\n');
    expect(lines[0]).toBe('date,issued,used,expired,voided');
    expect(lines.at(-1)).toBe(`${today},5,1,2,1`);
    expect(lines).toHaveLength(15);
    const table = await admin.get('/portal/stats');
    expect(table.html).toMatch(new RegExp(`<th scope="row">${today}</th><td>5</td><td>1</td><td>2</td><td>1</td>`));

    const audit = await admin.get('/portal/audit');
    for (const x of issued) expect(audit.html).not.toContain(x.code);
    expect(audit.html).toContain(issued[1].shortId);
    expect(audit.html).toMatch(/code_voided/);
    expect(audit.html).not.toMatch(/127\.0\.0\.1|::1|undici|node-fetch|Mozilla/);

    // another realm sees none of it: not the look-up, not the void, not the statistics
    const other = await person('Clinic B', 'olga');
    expect((await other.get(`/portal/codes?id=${issued[2].shortId}`)).status).toBe(404);
    expect((await other.post(`/portal/codes/${issued[3].shortId}/void`, {})).status).toBe(409);
    const theirs = await call(s.url, 'GET', '/portal/stats.json', undefined, { cookie: other.cookieHeader() });
    expect(theirs.body.days.every((d: { issued: number }) => d.issued === 0)).toBe(true);
  });

  test('a second factor: enabled with a code from the app, then needed at login; a code works once; recovery codes once each; a realm can require it', async () => {
    s = await startTestServer(kind);
    const c = await person('Clinic A', 'alice');
    await c.get('/portal/security');
    const offer = await c.post('/portal/security/start', {});
    const app = authenticator(textOf(offer.html, 'totp-secret')!);
    expect(
      (await c.post('/portal/security/confirm', { sealed: /name="sealed" value="([^"]+)"/.exec(offer.html)![1], code: '000000' })).status,
    ).toBe(400);
    const offer2 = c.last!;
    const app2 = authenticator(textOf(offer2.html, 'totp-secret')!);
    const on = await c.post('/portal/security/confirm', {
      sealed: /name="sealed" value="([^"]+)"/.exec(offer2.html)![1],
      code: app2(s.clock.now()),
    });
    expect(on.status).toBe(200);
    const recovery = [...on.html.matchAll(/<li><code>([A-Z2-7]{4}-[A-Z2-7]{4})<\/code><\/li>/g)].map((m) => m[1]);
    expect(recovery).toHaveLength(10);
    void app;

    // a password alone is not enough any more
    const fresh = new PortalClient(s.url);
    const half = await fresh.login('alice', PASSWORD);
    expect(half.html).toMatch(/autocomplete="one-time-code"/);
    expect(isLoginPage((await fresh.get('/portal/')).html)).toBe(true); // a half-done login is not a session
    // the code just used to enable it is spent; the next step's is good (a phone clock a little fast)
    expect(isLoginPage((await fresh.post('/portal/second-factor', { code: app2(s.clock.now()) })).html)).toBe(true);
    const next = app2(s.clock.now() + 30);
    expect(isLoginPage((await fresh.login('alice', PASSWORD, () => next)).html)).toBe(false);
    // the same code again, in another browser: refused
    expect(isLoginPage((await new PortalClient(s.url).login('alice', PASSWORD, () => next)).html)).toBe(true);
    // a recovery code, typed carelessly, works once
    s.clock.advance(60);
    expect(isLoginPage((await new PortalClient(s.url).login('alice', PASSWORD, () => recovery[0].toLowerCase())).html)).toBe(false);
    expect(isLoginPage((await new PortalClient(s.url).login('alice', PASSWORD, () => recovery[0])).html)).toBe(true);

    // the realm requires a second factor: someone without one is sent to set it up, from every page
    const admin = new PortalClient(s.url);
    s.clock.advance(60);
    await admin.login('alice', PASSWORD, () => app2(s.clock.now()));
    await admin.get('/portal/settings');
    expect((await admin.post('/portal/settings', { requireTotp: '1', dailyQuota: '1000', personQuota: '200' })).status).toBe(200);
    const bob = await person('Clinic A', 'bob', 'issuer');
    for (const path of ['/portal/', '/portal/codes?id=X']) {
      const r = await bob.get(path);
      expect(r.html).toMatch(/action="\/portal\/security\/start"/);
    }
    const live = await codesIssued();
    await bob.post('/portal/codes', {});
    expect(await codesIssued()).toBe(live);
  });

  test('a refused new password is told by the rule it broke, in the page’s language; the link stays usable', async () => {
    s = await startTestServer(kind);
    const { token } = await s.services.portal.createUser('Clinic A', 'alice', 'admin');
    const link = `${s.url}/portal/setup/${token}`;
    const alert = (html: string) => /role="alert">([^<]*)</.exec(html)?.[1] ?? null;
    const en = new PortalClient(s.url, { 'accept-language': 'en' });
    const zh = new PortalClient(s.url, { 'accept-language': 'zh-CN' });
    for (const [pw, english, chinese] of [
      ['Ab1!Ab1!Ab1', 'The password needs at least 12 characters.', '密码至少需要12个字符。'],
      ['x'.repeat(129), 'The password can have at most 128 characters.', '密码最多128个字符。'],
      ['password1234', 'This password is too common or too easy to guess: choose another.', '此密码太常见或太容易猜到，请换一个。'],
    ]) {
      const a = await en.setPassword(link, pw);
      const b = await zh.setPassword(link, pw);
      expect([a.status, alert(a.html), b.status, alert(b.html)]).toEqual([400, english, 400, chinese]);
    }
    expect((await en.setPassword(link, PASSWORD)).status).toBe(200);
  });

  test('one-time links expire after 24 hours', async () => {
    s = await startTestServer(kind);
    const { token } = await s.services.portal.createUser('Clinic A', 'alice', 'admin');
    s.clock.advance(24 * 3600 + 1);
    const c = new PortalClient(s.url);
    expect((await c.get(`/portal/setup/${token}`)).status).toBe(410);
    await c.get('/portal/login'); // a valid form token: it is the link that is refused
    expect((await c.post(`/portal/setup/${token}`, { password: PASSWORD, password2: PASSWORD })).status).toBe(410);
    expect(isLoginPage((await c.login('alice', PASSWORD)).html)).toBe(true);
  });

  test('a short id is unique in its realm: a repeat is refused by the repository and by the database', async () => {
    s = await startTestServer(kind);
    const repo = createAuthorityRepository(s.database);
    const row = (realmId: number | null, hash: string) => ({
      codeHash: hash,
      createdAt: s.clock.now(),
      expiresAt: s.clock.now() + 3600,
      issuedBy: null,
      realmId,
      personId: null,
      shortId: 'ABCDEF',
    });
    expect(await repo.insertCode(row(1, 'h1'), 1000)).toBe('ok');
    expect(await repo.insertCode(row(1, 'h2'), 1000)).toBe('short_taken'); // the service draws another
    expect(await repo.insertCode(row(2, 'h3'), 1000)).toBe('ok'); // another realm may repeat it
    expect(await codesIssued()).toBe(2);
    // and should two requests race past that check, the unique index refuses the second row
    await expect(
      s.database.transaction((m) =>
        m.query('INSERT INTO upload_code (codeHash, createdAt, expiresAt, used, realmId, shortId) VALUES (?, ?, ?, 0, 1, ?)', [
          'h4',
          1,
          2,
          'ABCDEF',
        ]),
      ),
    ).rejects.toThrow();
    expect(await codesIssued()).toBe(2);
  });
});
