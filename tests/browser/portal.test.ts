/**
 * The health-authority portal in a real browser (Debian's chromium through puppeteer-core) against
 * the key server as `npm start` runs it, on SQLite. The first admin comes from the admin CLI, as the
 * README tells an operator; everything after that is done by clicking and typing, as clinic staff
 * would: set a password through the one-time link, log in, issue a code (its QR decoded back), see a
 * phone use it, look it up, invite an issuer, change quotas, turn on a second factor. Then what a login
 * page meets: a forged form from another local site, a session cookie replayed after logout, a guessing
 * run while the owner and a colleague log in, script in every field the portal echoes, pages without a
 * session. axe-core checks the main pages (no serious or critical violation).
 *
 * Expectations are independent of the portal's code: decoded QR contents, an authenticator written
 * from RFC 6238 (tests/helpers/totp.ts), HTTP statuses, what the DOM contains.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { axeSerious, CHROMIUM, freePort, launchChromium } from '../helpers/browser';
import { admin, spawnServer, upload, uploadBody, type ServerProcess } from '../helpers/server-process';
import { authenticator } from '../helpers/totp';

const ROOT = join(__dirname, '../..');
const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) process.stderr.write('browser/portal.test: skipped — chromium is not installed (apt-get install chromium)\n');

const ALICE_PW = 'lantern-orchard-19-copper';
const BOB_PW = 'quiet-harbour-sparrow-42';
const CAROL_PW = 'marble-tunnel-violet-07';

suite('the portal in chromium', () => {
  let dir: string;
  let server: ServerProcess;
  let base: string;
  let env: Record<string, string>;
  let browser: Browser;
  let alice: BrowserContext;
  let alicePage: Page;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prtc-portal-browser-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { DATA_DIR: dir, PUBLIC_URL: base, PORT: String(port) };
    server = await spawnServer(env);
    browser = await launchChromium();
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const submit = async (page: Page, selector: string) => {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response!;
  };
  const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e.textContent ?? '').trim());
  const isLogin = (page: Page) =>
    page.evaluate(() => Boolean(document.querySelector('form[action="/portal/login"] input[autocomplete="current-password"]')));

  async function setPasswordThroughLink(page: Page, link: string, password: string) {
    const r = await page.goto(link);
    expect(r!.status()).toBe(200);
    await page.type('#password', password);
    await page.type('#password2', password);
    const done = await submit(page, 'main button[type=submit]');
    expect(done.status()).toBe(200);
    await page.click('main a[href="/portal/login"]');
    await page.waitForSelector('#password');
  }

  async function logIn(page: Page, username: string, password: string) {
    if (!page.url().endsWith('/portal/login')) await page.goto(`${base}/portal/login`);
    await page.type('#username', username);
    await page.type('#password', password);
    return submit(page, 'main button[type=submit]');
  }

  async function decodeQr(page: Page, selector: string): Promise<string | null> {
    const el = (await page.$(selector))!;
    const png = await el.screenshot({ type: 'png' });
    const img = await loadImage(Buffer.from(png));
    const canvas = createCanvas(img.width, img.height);
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, img.width, img.height);
    return jsQR(new Uint8ClampedArray(data.data), img.width, img.height)?.data ?? null;
  }

  /** No script but the portal's own ran or was added: the payload is text, never markup. */
  async function noInjection(page: Page) {
    const dom = await page.evaluate(() => ({
      xss: (window as unknown as { __xss?: unknown }).__xss ?? null,
      scripts: Array.from(document.scripts).map((s) => s.getAttribute('src')),
      handlers: document.querySelectorAll('[onerror],[onload],[onclick],[onfocus]').length,
      images: document.querySelectorAll('img').length,
      iframes: document.querySelectorAll('iframe').length,
    }));
    expect(dom).toEqual({ xss: null, scripts: ['/portal/static/portal.js'], handlers: 0, images: 0, iframes: 0 });
  }

  test('from the command line to a code a phone uses: link, password, login, issue, QR, countdown, upload, lookup', async () => {
    const cli = admin(env, 'create-user', '--realm', 'Clinic A', '--role', 'admin', 'alice');
    expect(cli.code).toBe(0);
    // stdout is the link and nothing else, so `$(…)` or a mail merge can take it
    expect(cli.stdout).toMatch(new RegExp(`^${base.replace(/[.:/]/g, '\\$&')}/portal/setup/[A-Za-z0-9_-]{20,}\\n$`));
    const link = cli.stdout.trim();

    alice = await browser.createBrowserContext();
    alicePage = await alice.newPage();
    await alicePage.setBypassCSP(true); // only so that axe-core can be injected; the CSP itself is checked in tests/server/portal.test.ts
    await setPasswordThroughLink(alicePage, link, ALICE_PW);
    expect(await axeSerious(alicePage)).toEqual([]);
    const home = await logIn(alicePage, 'alice', ALICE_PW);
    expect(home.status()).toBe(200);
    expect(new URL(alicePage.url()).pathname).toBe('/portal/');
    expect(await axeSerious(alicePage)).toEqual([]);

    // the link worked once: opened again, it is gone
    const again = await (await browser.createBrowserContext()).newPage();
    expect((await again.goto(link))!.status()).toBe(410);

    const issued = await submit(alicePage, 'form[action="/portal/codes"] button');
    expect(issued.status()).toBe(200);
    const code = await text(alicePage, '#code');
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    // the QR a patient scans holds the mini-program's link to this code
    expect(await decodeQr(alicePage, 'svg.qr')).toBe(`${base}/u#${code}`);
    // portal.js counts down (the only script the page runs)
    const t0 = await text(alicePage, '#countdown');
    await new Promise((r) => setTimeout(r, 2100));
    const t1 = await text(alicePage, '#countdown');
    expect(t0).toMatch(/^\d+:\d\d$/);
    expect(t1).toMatch(/^\d+:\d\d$/);
    const secs = (t: string) => Number(t.split(':')[0]) * 60 + Number(t.split(':')[1]);
    expect(secs(t0) - secs(t1)).toBeGreaterThanOrEqual(1);
    expect(secs(t0) - secs(t1)).toBeLessThanOrEqual(3);
    expect(await axeSerious(alicePage)).toEqual([]);
    if (process.env.PRTC_SCREENSHOTS === '1') {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      await alicePage.setViewport({ width: 1000, height: 900 });
      await alicePage.screenshot({ path: join(ROOT, 'docs/images/portal-issue.png'), fullPage: true });
    }
    const shortId = await text(alicePage, '#short-id');

    // the patient's phone uploads with the code
    const sent = await upload(base, uploadBody(code));
    expect(sent.status).toBe(201);

    // the nurse looks the code up by its short id: used
    await alicePage.goto(`${base}/portal/`);
    await alicePage.type('#id', shortId.toLowerCase());
    const found = await submit(alicePage, 'form[action="/portal/codes"][method="get"] button');
    expect(found.status()).toBe(200);
    expect(await text(alicePage, '#status')).toBe('used');
    // a used code cannot be voided: there is no button
    expect(await alicePage.$(`form[action="/portal/codes/${shortId}/void"]`)).toBeNull();
  }, 120000);

  let bobPage: Page;
  test('an admin invites an issuer, who sets a password in another browser and can issue but not administer', async () => {
    await alicePage.goto(`${base}/portal/people`);
    expect(await axeSerious(alicePage)).toEqual([]);
    await alicePage.type('#username', 'bob');
    await alicePage.select('#role', 'issuer');
    await submit(alicePage, 'form[action="/portal/people"] button');
    const link = await text(alicePage, '#invite-link');
    expect(link.startsWith(`${base}/portal/setup/`)).toBe(true);
    await alicePage.type('#username', 'carol');
    await alicePage.select('#role', 'issuer');
    await submit(alicePage, 'form[action="/portal/people"] button');
    const carolLink = await text(alicePage, '#invite-link');

    bobPage = await (await browser.createBrowserContext()).newPage();
    await setPasswordThroughLink(bobPage, link, BOB_PW);
    expect((await logIn(bobPage, 'bob', BOB_PW)).status()).toBe(200);
    const nav = await bobPage.$$eval('nav a', (as) => as.map((a) => a.getAttribute('href')));
    expect(nav).not.toContain('/portal/people');
    expect(nav).toContain('/portal/');
    for (const p of ['/portal/people', '/portal/keys', '/portal/stats', '/portal/audit', '/portal/settings'])
      expect([p, (await bobPage.goto(`${base}${p}`))!.status()]).toEqual([p, 403]);
    await bobPage.goto(`${base}/portal/`);
    expect((await submit(bobPage, 'form[action="/portal/codes"] button')).status()).toBe(200);

    const carolPage = await (await browser.createBrowserContext()).newPage();
    await setPasswordThroughLink(carolPage, carolLink, CAROL_PW);
    await carolPage.close();
  }, 120000);

  test('a quota an admin sets stops the next code, and says so', async () => {
    await alicePage.goto(`${base}/portal/settings`);
    await alicePage.$eval('#personQuota', (e) => ((e as HTMLInputElement).value = ''));
    await alicePage.type('#personQuota', '1'); // bob has issued one today
    expect((await submit(alicePage, 'form[action="/portal/settings"] button')).status()).toBe(200);
    await bobPage.goto(`${base}/portal/`);
    const refused = await submit(bobPage, 'form[action="/portal/codes"] button');
    expect(refused.status()).toBe(429);
    expect(await bobPage.$('#code')).toBeNull();
    expect(await text(bobPage, '[role=alert]')).toMatch(/quota/i);
    await alicePage.goto(`${base}/portal/settings`);
    await alicePage.$eval('#personQuota', (e) => ((e as HTMLInputElement).value = ''));
    await alicePage.type('#personQuota', '200');
    await submit(alicePage, 'form[action="/portal/settings"] button');
    await alicePage.goto(`${base}/portal/stats`);
    expect(await axeSerious(alicePage)).toEqual([]);
  }, 60000);

  test('a form on another local site cannot make a logged-in admin issue a code or invite someone', async () => {
    // Another origin on the same host: the browser counts it as the same site, so SameSite cookies go
    // along — only the CSRF token and the Origin check stand in the way.
    const forms = {
      '/issue': `<form id="f" method="post" action="${base}/portal/codes"><input name="x" value="1"></form>`,
      '/invite': `<form id="f" method="post" action="${base}/portal/people"><input name="username" value="mallory"><input name="role" value="admin"><input name="csrf" value="guess"></form>`,
      '/plain': `<form id="f" method="post" enctype="text/plain" action="${base}/portal/codes"><input name="csrf" value="x"></form>`,
    } as Record<string, string>;
    const evil: Server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>prize</title>${forms[req.url!] ?? ''}<script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    const evilBase = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    try {
      const before = await alicePage.evaluate(
        async () => (await (await fetch('/portal/stats.json')).json()) as { days: { issued: number }[] },
      );
      const peopleBefore = await alicePage.goto(`${base}/portal/people`).then(() => alicePage.$$eval('tbody tr', (r) => r.length));
      for (const path of Object.keys(forms)) {
        const page = await alice.newPage();
        const answered = page.waitForResponse((r) => r.url().startsWith(base) && r.request().method() === 'POST');
        await page.goto(`${evilBase}${path}`);
        const r = await answered;
        expect([path, r.status()]).toEqual([path, 403]);
        await page.waitForFunction((b) => location.href.startsWith(b), {}, base);
        expect(await page.$('#code')).toBeNull();
        await page.close();
      }
      await alicePage.goto(`${base}/portal/`);
      const after = await alicePage.evaluate(
        async () => (await (await fetch('/portal/stats.json')).json()) as { days: { issued: number }[] },
      );
      expect(after.days.reduce((n, d) => n + d.issued, 0)).toBe(before.days.reduce((n, d) => n + d.issued, 0));
      await alicePage.goto(`${base}/portal/people`);
      expect(await alicePage.$$eval('tbody tr', (r) => r.length)).toBe(peopleBefore);
      expect(await alicePage.$$eval('tbody td:first-child', (c) => c.map((x) => x.textContent))).not.toContain('mallory');
    } finally {
      evil.close();
    }
  }, 60000);

  test('script in every field the portal echoes stays text', async () => {
    const payload = `"><img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'\``;
    const page = await (await browser.createBrowserContext()).newPage();
    // a failed login echoes the username
    await logIn(page, payload, 'not the password');
    await noInjection(page);
    expect(await page.$eval('#username', (e) => (e as HTMLInputElement).value)).toBe(payload.slice(0, 200));
    // the lookup echoes the short id (upper-cased, at most 16 characters)
    const short = `"><svg/onload=x>`;
    await alicePage.goto(`${base}/portal/codes?id=${encodeURIComponent(short)}`);
    await noInjection(alicePage);
    expect(await alicePage.$('svg')).toBeNull();
    // invite and API-key forms echo what was typed (in the list or in the error)
    await alicePage.goto(`${base}/portal/people`);
    await alicePage.type('#username', payload);
    await submit(alicePage, 'form[action="/portal/people"] button');
    await noInjection(alicePage);
    await alicePage.goto(`${base}/portal/keys`);
    await alicePage.type('#name', payload);
    await submit(alicePage, 'form[action="/portal/keys"] button');
    await noInjection(alicePage);
    // the path goes into the language switch
    await alicePage.goto(`${base}/portal/${encodeURIComponent(payload)}`);
    await noInjection(alicePage);
    await page.close();
  }, 60000);

  test('pages without a session show the login form and nothing of the realm', async () => {
    const page = await (await browser.createBrowserContext()).newPage();
    await page.setBypassCSP(true); // for axe-core
    for (const p of [
      '/portal/',
      '/portal/people',
      '/portal/stats',
      '/portal/audit',
      '/portal/codes?id=ABCDEF',
      '/portal/keys',
      '/portal/nothing-here',
    ]) {
      await page.goto(`${base}${p}`);
      expect([p, await isLogin(page)]).toEqual([p, true]);
      expect(await page.content()).not.toContain('Clinic A');
    }
    expect(await axeSerious(page)).toEqual([]);
    await page.close();
  }, 60000);

  test('a guessing run locks the account for strangers while its owner and a colleague log in', async () => {
    // alice's browser holds a device cookie from her login; the guesser has none
    const guesses = Array.from({ length: 40 }, (_, k) =>
      (async () => {
        const r0 = await fetch(`${base}/portal/login`);
        const form = /name="csrf" value="([^"]*)"/.exec(await r0.text())![1];
        const cookie = r0.headers
          .getSetCookie()
          .map((c) => c.split(';')[0])
          .join('; ');
        const r = await fetch(`${base}/portal/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ csrf: form, username: 'alice', password: `guess-number-${k}` }).toString(),
        });
        return r.status;
      })(),
    );
    await alicePage.goto(`${base}/portal/`);
    await submit(alicePage, 'form[action="/portal/logout"] button');
    const carolPage = await (await browser.createBrowserContext()).newPage();
    const [statuses, aliceIn, carolIn] = await Promise.all([
      Promise.all(guesses),
      logIn(alicePage, 'alice', ALICE_PW).then((r) => r.status()),
      logIn(carolPage, 'carol', CAROL_PW).then((r) => r.status()),
    ]);
    expect(statuses.every((s) => s === 401)).toBe(true);
    expect([aliceIn, carolIn]).toEqual([200, 200]);
    expect(new URL(alicePage.url()).pathname).toBe('/portal/');
    // the right password from a stranger's browser is refused while the lock lasts
    const stranger = await (await browser.createBrowserContext()).newPage();
    expect((await logIn(stranger, 'alice', ALICE_PW)).status()).toBe(401);
    expect(await isLogin(stranger)).toBe(true);
    await stranger.close();
    await carolPage.close();
  }, 120000);

  test('a session cookie copied before logout opens nothing afterwards', async () => {
    await alicePage.goto(`${base}/portal/`);
    const stolen = (await alicePage.cookies()).filter((c) => c.name === 'prtc_s');
    expect(stolen).toHaveLength(1);
    await submit(alicePage, 'form[action="/portal/logout"] button');
    const thief = await browser.createBrowserContext();
    const page = await thief.newPage();
    await page.setCookie(...stolen);
    await page.goto(`${base}/portal/people`);
    expect(await isLogin(page)).toBe(true);
    await thief.close();
  }, 60000);

  test('a second factor: turned on with an authenticator, then asked for at login', async () => {
    expect((await logIn(alicePage, 'alice', ALICE_PW)).status()).toBe(200);
    await alicePage.goto(`${base}/portal/security`);
    await submit(alicePage, 'form[action="/portal/security/start"] button');
    const secret = await text(alicePage, '#totp-secret');
    const otpauth = await decodeQr(alicePage, 'svg.qr');
    expect(new URL(otpauth!).searchParams.get('secret')).toBe(secret);
    const code = authenticator(secret);
    const now = Date.now() / 1000;
    await alicePage.type('#code', code(now));
    expect((await submit(alicePage, 'form[action="/portal/security/confirm"] button')).status()).toBe(200);
    expect(await alicePage.$$eval('#recovery li', (l) => l.length)).toBeGreaterThanOrEqual(8);
    await submit(alicePage, 'form[action="/portal/logout"] button');

    await logIn(alicePage, 'alice', ALICE_PW);
    expect(new URL(alicePage.url()).pathname).toBe('/portal/second-factor');
    // the code already used once is refused (RFC 6238 §5.2); the login starts over
    await alicePage.type('#code', code(now));
    expect((await submit(alicePage, 'form[action="/portal/second-factor"] button')).status()).toBe(401);
    expect(await isLogin(alicePage)).toBe(true);
    await logIn(alicePage, 'alice', ALICE_PW);
    await alicePage.type('#code', code(now + 30)); // the next step: within the ±1 step the portal allows
    expect((await submit(alicePage, 'form[action="/portal/second-factor"] button')).status()).toBe(200);
    expect(new URL(alicePage.url()).pathname).toBe('/portal/');
    // the audit log recorded who did what, never a code or an address
    // times are shown in the reader's zone (portal.js turns the page's UTC <time> into local time)
    await alicePage.emulateTimezone('Asia/Shanghai');
    await alicePage.goto(`${base}/portal/audit`);
    const [iso, shown] = await alicePage.$eval('#audit time', (t) => [t.getAttribute('datetime')!, t.textContent!]);
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Shanghai',
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(new Date(iso))
        .map((x) => [x.type, x.value]),
    );
    expect(shown).toBe(`${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`);
    const audit = await text(alicePage, '#audit');
    expect(audit).toContain('second_factor_enabled');
    expect(audit).not.toMatch(/127\.0\.0\.1|[0-9A-Z]{5}-[0-9A-Z]{5}/);
    // the TOTP secret is stored sealed: not in the database file or its write-ahead log
    for (const f of ['prtc.sqlite', 'prtc.sqlite-wal'])
      if (existsSync(join(dir, f))) expect([f, readFileSync(join(dir, f)).includes(Buffer.from(secret))]).toEqual([f, false]);
  }, 120000);
});
