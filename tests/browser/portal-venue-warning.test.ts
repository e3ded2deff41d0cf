/**
 * Issue 31 in a real browser (Debian's chromium through puppeteer-core) against the key server as
 * it runs: a realm's staff member warns a venue from a photo of its poster. The poster is rendered
 * with the project's poster code (tools/poster.ts), photographed onto a grey table (scaled, offset),
 * and chosen in the portal's file input; the browser decodes it, and the form posts only the hash.
 * The next batch must carry the warning with its level, number and sentence.
 *
 * Expectations are independent of the code under test: the location hash is computed here with
 * Node's crypto from §7's layout, the body is read by offsets of §9 "Levels", and what the browser
 * sent is read off the wire.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { encodeVenuePayload, parseVenueUrl, venueUrl } from '../../shared/protocol/venue';
import { renderPoster, posterFont } from '../../tools/poster';
import { CHROMIUM, firstLogin, startPortalRig, submitForm, type PortalRig } from '../helpers/browser';
import { admin, newTokenCli } from '../helpers/server-process';
import { DEFAULT_VENUE_RULES } from '../../shared/risk/venue-rules';
import { SimWorld } from '../../testkit/world';
import { checkInAt, makePhone, startPhones } from '../helpers/phones';

const font = (() => {
  try {
    return posterFont();
  } catch {
    return null;
  }
})();
const suite = CHROMIUM && font ? describe : describe.skip;
if (!CHROMIUM || !font) process.stderr.write('browser/portal-venue-warning.test: skipped — needs chromium and a Chinese font\n');

const PASSWORD = 'lantern-orchard-19-copper';
const NAME = '望京小馆 Wangjing Bistro';

suite('the portal warns a venue from a poster photo', () => {
  let rig: PortalRig;
  let dir: string;
  let base: string;
  let env: Record<string, string>;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startPortalRig('prtc-venue-warning-browser-');
    ({ dir, base, env, browser } = rig);
  }, 60000);
  afterAll(async () => {
    await rig?.stop();
  });

  const submit = submitForm;

  test('photo → hash in the browser → published in the next batch with its level; nothing else leaves the browser', async () => {
    // the venue and its poster, as an owner made it
    const payload = encodeVenuePayload({
      venueType: 1,
      staff: false,
      event: false,
      validFrom: 0,
      validUntil: 0,
      defaultMinutes: 60,
      description: NAME,
      seed: new Uint8Array(16).fill(9),
    });
    const link = venueUrl('qr.example.org', payload);
    const poster = await loadImage(await renderPoster(link, parseVenueUrl(link), 'png', { font: font!, paper: 'A5', dpi: 150 }));
    // a photo: the poster at 80 % on a grey table, off-centre
    const photo = createCanvas(1400, 1300);
    const g = photo.getContext('2d');
    g.fillStyle = '#8a8a80';
    g.fillRect(0, 0, photo.width, photo.height);
    g.drawImage(poster, 180, 90, poster.width * 0.8, poster.height * 0.8);
    const photoFile = join(dir, 'poster-photo.png');
    writeFileSync(photoFile, photo.toBuffer('image/png'));
    // §7 by hand: locationId = SHA-256("PrTC-VENUE" || payload), published as SHA-256(locationId)
    const sha = (b: Buffer) => createHash('sha256').update(b).digest();
    const expectedHash = sha(sha(Buffer.concat([Buffer.from('PrTC-VENUE'), Buffer.from(payload)]))).toString('hex');

    // a staff member of the realm: the admin CLI's link, a password, a login
    const cli = admin(env, 'create-user', '--realm', 'Clinic A', '--role', 'issuer', 'dora');
    expect(cli.code).toBe(0);
    const page = await (await browser.createBrowserContext()).newPage();
    await firstLogin(page, base, cli.stdout.trim(), 'dora', PASSWORD);

    const venues = await page.goto(`${base}/portal/venues`);
    expect(venues!.status()).toBe(200);
    await (await page.$('input#venue-photo'))!.uploadFile(photoFile);
    await page.waitForFunction(() => (document.getElementById('locationIdHash') as HTMLInputElement).value !== '', { timeout: 20000 });
    expect(await page.$eval('#locationIdHash', (e) => (e as HTMLInputElement).value)).toBe(expectedHash);
    expect(await page.$eval('#venue-link', (e) => (e as HTMLInputElement).value)).toBe(link);
    // the window in the staff member's local time: from three hours ago to one hour ago, whole minutes
    const window = await page.evaluate(() => {
      const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
      const now = Math.floor(Date.now() / 60000) * 60000;
      const from = new Date(now - 3 * 3600000);
      const until = new Date(now - 3600000);
      (document.getElementById('from') as HTMLInputElement).value = local(from);
      (document.getElementById('until') as HTMLInputElement).value = local(until);
      return { start: from.getTime() / 1000, end: until.getTime() / 1000 };
    });
    await page.select('#level', 'isolate');
    await page.type('#tel', '+86 12320');
    await page.type('#text_en', 'Stay home and call us.');
    await page.type('#text_zh_CN', '请居家并致电我们。');

    let sent = '';
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/portal/venue-warnings')) sent = r.postData() ?? '';
    });
    const done = await submit(page, '#warn-submit');
    expect(done.status()).toBe(200);
    expect(await page.$eval('main p[role=status]', (e) => e.textContent)).toMatch(/next batch/);
    // on the wire: the hash and the window, never the link, the name, or the photo
    const form = new URLSearchParams(sent);
    expect(form.get('locationIdHash')).toBe(expectedHash);
    expect([Number(form.get('start')), Number(form.get('end'))]).toEqual([window.start, window.end]);
    expect(sent).not.toMatch(/qr\.example\.org|Wangjing|%E6%9C%9B|poster-photo|PNG/);

    // published in the next batch: "PrTCB003", one warning, source 1 (authority), level 3 (isolate)
    const pub = admin(env, 'publish', '--json');
    expect(pub.code).toBe(0);
    const n = JSON.parse(pub.stdout).published[0] as number;
    const body = Buffer.from(await (await fetch(`${base}/v1/batches/${n}`)).arrayBuffer());
    expect(body.subarray(0, 8).toString()).toBe('PrTCB003');
    // after magic, region, n, prevHash, createdAt: the days, then the warnings
    let o = 8 + 4 + 4 + 32 + 4;
    const dayCount = body.readUInt32LE(o);
    o += 4;
    for (let d = 0; d < dayCount; d++) o += 8 + 32 * body.readUInt32LE(o + 4);
    expect(body.readUInt32LE(o)).toBe(1);
    o += 4;
    expect(body.subarray(o, o + 32).toString('hex')).toBe(expectedHash);
    expect(body.readUInt32LE(o + 32)).toBe(Math.floor(window.start / 600));
    expect(body.readUInt32LE(o + 36)).toBe(Math.ceil(window.end / 600));
    expect([body[o + 40], body[o + 41]]).toEqual([1, 3]);
    const note = JSON.parse(body.subarray(o + 44, o + 44 + body.readUInt16LE(o + 42)).toString('utf8'));
    expect(note.tel).toBe('+86 12320');
    expect(note.text.en).toBe('Stay home and call us.');
    expect(note.text.zh_CN).toBe('请居家并致电我们。');
    // Traditional made from the Simplified (OpenCC), for both
    expect(note.text.zh_TW).toMatch(/請居家/);
    expect(note.text.zh_HK).toMatch(/請居家/);

    // and on phones (the real device over this server): one checked in there during the window turns
    // red — isolate counts at any kind of place — with the level's advice from the signed configuration's
    // defaults and the authority's sentence and number, in its language; one that was not stays green
    const world = new SimWorld((window.start + 1800) * 1000);
    const there = makePhone(world, 'There', base, { language: 'zh_CN' });
    const away = makePhone(world, 'Away', base, { language: 'zh_CN' });
    await startPhones([there, away], false);
    await checkInAt(there, link, 60);
    world.advance(Date.now() - world.timeMs);
    for (const p of [there, away]) expect((await p.device.runSync()).ok).toBe(true);
    expect(there.device.view.status).toBe('red');
    expect(there.device.view.reasons).toEqual([
      expect.objectContaining({
        kind: 'venue',
        warningLevel: 'isolate',
        source: 'authority',
        tel: '+86 12320',
        authorityText: '请居家并致电我们。',
        levelAdvice: expect.objectContaining({ now: DEFAULT_VENUE_RULES.levels.isolate.advice.zh_CN.now }),
      }),
    ]);
    expect(away.device.view.status).toBe('green');
  }, 120000);

  test('an owner warns at /venue/warn with a code: once, never twice; only hash, window and code are sent', async () => {
    const token = newTokenCli(env);
    const issued = await fetch(`${base}/v1/authority/venue-warning-codes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ level: 'test' }),
    });
    expect(issued.status).toBe(201);
    const { code } = (await issued.json()) as { code: string };
    const payload = encodeVenuePayload({
      venueType: 2,
      staff: false,
      event: false,
      validFrom: 0,
      validUntil: 0,
      defaultMinutes: 90,
      description: 'Lotus Noodle House',
      seed: new Uint8Array(16).fill(3),
    });
    const link = venueUrl('qr.example.org', payload);
    const page = await (await browser.createBrowserContext()).newPage();
    const r = await page.goto(`${base}/venue/warn`);
    expect(r!.headers()['content-security-policy']).toMatch(/connect-src 'self'/);
    // the poster page itself still may not connect anywhere
    expect((await fetch(`${base}/venue/`)).headers.get('content-security-policy')).toMatch(/connect-src 'none'/);
    const bodies: string[] = [];
    page.on('request', (q) => {
      if (q.method() === 'POST') bodies.push(q.postData() ?? '');
    });
    await page.type('#link', link);
    await page.evaluate(() => {
      const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
      const now = Math.floor(Date.now() / 60000) * 60000;
      (document.getElementById('from') as HTMLInputElement).value = local(new Date(now - 2 * 3600000));
      (document.getElementById('until') as HTMLInputElement).value = local(new Date(now - 3600000));
    });
    await page.type('#code', code.toLowerCase());
    const result = () => page.$eval('#result', (e) => `${e.className}: ${e.textContent}`);
    await page.click('#send');
    await page.waitForFunction(() => !/Sending/.test(document.getElementById('result')!.textContent ?? ''));
    expect(await result()).toMatch(/^ok: .*level: test/);
    await page.click('#send');
    await page.waitForFunction(() => /used already/.test(document.getElementById('result')!.textContent ?? ''));
    expect(await result()).toMatch(/^error: /);
    expect(bodies).toHaveLength(2);
    const sent = JSON.parse(bodies[0]) as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['code', 'end', 'locationIdHash', 'start']);
    expect(bodies[0]).not.toMatch(/Lotus|qr\.example/);
  }, 60000);
});
