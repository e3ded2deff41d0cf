/**
 * The public /venue page in Debian's chromium, served by the key server as `npm start` runs it: a
 * café owner makes a poster, downloads it as PNG and PDF, and a CSV of rooms (saved as GBK, as
 * Excel does on Chinese Windows) becomes one PDF page per room. Every request the browser makes is
 * recorded: none carries the name or the link.
 *
 * Independent expectations: the downloaded PNG is read with @napi-rs/canvas and its QR decoded with
 * jsQR; the PDF is counted and rendered by poppler (pdfinfo, pdftoppm); the link is parsed here
 * from the byte layout of docs/protocol.md §7.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'puppeteer-core';
import { axeSerious, CHROMIUM, freePort, launchChromium } from '../helpers/browser';
import { parseVenueLink, qrOfPng } from '../helpers/venue-link';
import { spawnServer, type ServerProcess } from '../helpers/server-process';

const ROOT = join(__dirname, '../..');
const POPPLER = existsSync('/usr/bin/pdftoppm') && existsSync('/usr/bin/pdfinfo');
const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) process.stderr.write('browser/venue.test: skipped — chromium is not installed (apt-get install chromium)\n');

suite('the /venue page in chromium', () => {
  let dir: string;
  let downloads: string;
  let server: ServerProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  const requests: { url: string; body: string }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prtc-venue-browser-'));
    downloads = join(dir, 'downloads');
    mkdirSync(downloads);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await spawnServer({ DATA_DIR: dir, PORT: String(port), PUBLIC_URL: 'https://prtc.example.org' });
    browser = await launchChromium();
    const cdp = await browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    page = await browser.newPage();
    page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
  }, 60000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function download(selector: string, name: string): Promise<Buffer> {
    const file = join(downloads, name);
    rmSync(file, { force: true });
    await page.click(selector);
    for (let k = 0; k < 200 && !existsSync(file); k++) await new Promise((r) => setTimeout(r, 50));
    // chromium writes <name>.crdownload first and renames it when complete
    for (let k = 0; k < 100 && readdirSync(downloads).some((f) => f.endsWith('.crdownload')); k++)
      await new Promise((r) => setTimeout(r, 50));
    return readFileSync(file);
  }

  const setValue = (selector: string, value: string) =>
    page.$eval(
      selector,
      (e, v) => {
        (e as HTMLInputElement).value = v as string;
        e.dispatchEvent(new Event('input', { bubbles: true }));
        e.dispatchEvent(new Event('change', { bubbles: true }));
      },
      value,
    );
  const problems = () => page.$$eval('#problems li', (l) => l.map((x) => x.textContent ?? ''));

  const NAME = '星光咖啡馆 Starlight Café';

  test('each field is checked in both languages; the name is counted in UTF-8 bytes', async () => {
    expect((await page.goto(`${base}/venue`))!.status()).toBe(200);
    await page.click('#make');
    expect(await problems()).toEqual(['请填写场所名称。 Enter the venue’s name.']);
    // 34 Chinese characters are 102 bytes: two over §7's 100
    await page.type('#name', '北京市朝阳区建国门外大街一号国贸商城北区地下一层星光咖啡馆书店阅览室');
    expect(await page.$eval('#bytes', (e) => e.textContent)).toBe('超出 2 字节 · 2 bytes too long');
    await page.click('#make');
    expect((await problems())[0]).toMatch(/^场所名称最多 100 字节.*at most 100 bytes/);
    await setValue('#name', NAME);
    await page.click('#event');
    await setValue('#from', '2026-12-24T18:00');
    await setValue('#until', '2026-12-24T17:00');
    await page.click('#make');
    expect(await problems()).toEqual(['活动结束时间必须晚于开始时间。 The event must end after it starts.']);
    expect(await page.$eval('#poster', (e) => (e as HTMLCanvasElement).hidden)).toBe(true);
  }, 60000);

  test('a poster made in the browser: PNG and PDF downloads whose QR is the venue, and no request carries it', async () => {
    await setValue('#until', '2026-12-24T22:30');
    await page.select('#type', '2');
    await setValue('#minutes', '45');
    await page.select('#paper', 'A4');
    await page.click('#make');
    await page.waitForSelector('#download-pdf:not([hidden])');
    await page.waitForSelector('#download-png:not([hidden])');
    expect(await problems()).toEqual([]);

    const png = await download('#download-png', 'venue-poster.png');
    if (process.env.PRTC_SCREENSHOTS === '1') writeFileSync(join(ROOT, 'docs/images/venue-poster-web.png'), png);
    const { text: link, width, height } = await qrOfPng(png);
    expect([width, height]).toEqual([1240, 1754]); // A4 at 150 dpi
    const v = parseVenueLink(link!);
    // the browser's time zone (this machine's) reads the datetime-local fields
    const local = (s: string) => Math.floor(new Date(s).getTime() / 60_000);
    expect(v).toEqual({
      host: 'prtc.example.org', // PUBLIC_URL's host
      version: 1,
      type: 2,
      staff: false,
      event: true,
      validFrom: local('2026-12-24T18:00'),
      validUntil: local('2026-12-24T22:30'),
      minutes: 45,
      name: NAME,
    });

    const pdf = await download('#download-pdf', 'venue-poster.pdf');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    if (POPPLER) {
      const file = join(dir, 'one.pdf');
      writeFileSync(file, pdf);
      expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+1\n[\s\S]*Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
      execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', file, join(dir, 'one')]);
      expect((await qrOfPng(readFileSync(join(dir, 'one.png')))).text).toBe(link);
    } else process.stderr.write('browser/venue.test: PDF not rendered — poppler-utils is not installed\n');

    // what the browser asked the server for: the page, its stylesheet and script — nothing with the venue
    const payload = link!.split('#')[1];
    expect(requests.filter((r) => r.url.startsWith(base)).map((r) => new URL(r.url).pathname)).toEqual(
      expect.arrayContaining(['/venue', '/venue/static/venue.css', '/venue/static/venue.js']),
    );
    for (const r of requests) {
      const seen = decodeURIComponent(`${r.url} ${r.body}`);
      expect([r.url, seen.includes(NAME) || seen.includes('星光') || seen.includes(payload)]).toEqual([r.url, false]);
    }
    expect(requests.every((r) => r.url.startsWith(base) || r.url.startsWith('blob:') || r.url.startsWith('data:'))).toBe(true);
  }, 60000);

  test('§15: a region chosen on the page makes a version 0x02 code naming it (bytes 29–32, little-endian)', async () => {
    // the page offers "not given" first and lists regions under their province
    expect(await page.$eval('#region', (e) => (e as HTMLSelectElement).value)).toBe('');
    expect(
      await page.$eval('#region option[value="320500"]', (e) => [e.textContent, (e.parentElement as HTMLOptGroupElement).label]),
    ).toEqual(['苏州市', '江苏省']);
    await page.select('#region', '320500');
    await page.click('#make');
    await page.waitForSelector('#download-png:not([hidden])');
    expect(await problems()).toEqual([]);
    const { text: link } = await qrOfPng(await download('#download-png', 'venue-poster.png'));
    const b = Buffer.from(link!.split('#')[1], 'base64url');
    expect(b[0]).toBe(0x02);
    expect([...b.subarray(29, 33)]).toEqual([0xf4, 0xe3, 0x04, 0x00]); // 320500 = 0x0004E3F4
    expect(b[33]).toBe(Buffer.byteLength(NAME));
    expect(b.length).toBe(34 + Buffer.byteLength(NAME));
    expect(parseVenueLink(link!)).toMatchObject({ version: 2, region: 320500, name: NAME });
    for (const r of requests) expect(decodeURIComponent(`${r.url} ${r.body}`)).not.toContain(link!.split('#')[1]);
    await page.select('#region', ''); // not given again: version 0x01
    await page.click('#make');
    const again = parseVenueLink((await qrOfPng(await download('#download-png', 'venue-poster.png'))).text!);
    expect([again.version, 'region' in again]).toEqual([1, false]);
  }, 60000);

  test('a CSV of rooms saved as GBK becomes one PDF page per room; a bad row is named and nothing is made', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, iconv.encode('desc,type,staff,region\n前台,shop,no,\n会议室,office,maybe,\n仓库,shop,no,999900\n', 'gbk'));
    await (await page.$('input#csv'))!.uploadFile(bad);
    await page.waitForFunction(() => document.querySelectorAll('#csv-report li').length > 0);
    const report = await page.$$eval('#csv-report li', (l) => l.map((x) => x.textContent));
    expect(report).toEqual([
      '第 3 行 · row 3: staff=maybe: yes/no',
      '第 3 行 · row 3: 请选择场所类型。 Choose the kind of venue.',
      '第 4 行 · row 4: 请从列表中选择场所所在地区，或不填。 Choose the venue’s region from the list, or leave it out.', // region-shaped, not in the list
    ]);
    expect(await page.$eval('#download-csv-pdf', (e) => (e as HTMLAnchorElement).hidden)).toBe(true);

    const good = join(dir, 'rooms.csv');
    writeFileSync(
      good,
      iconv.encode('desc,type,staff,minutes,region\n前台 Reception,shop,no,20,\n员工休息室,workplace,yes,,苏州市\n', 'gbk'),
    );
    await (await page.$('input#csv'))!.uploadFile(good);
    await page.waitForSelector('#download-csv-pdf:not([hidden])');
    expect(await page.$eval('#csv-report li', (e) => e.textContent)).toBe('2 张海报 · 2 posters: 前台 Reception, 员工休息室');
    const pdf = await download('#download-csv-pdf', 'venue-posters.pdf');
    if (!POPPLER) return void process.stderr.write('browser/venue.test: PDF not read — poppler-utils is not installed\n');
    const file = join(dir, 'rooms.pdf');
    writeFileSync(file, pdf);
    expect(execFileSync('pdfinfo', [file]).toString()).toMatch(/Pages:\s+2\n/);
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '2', '-l', '2', '-singlefile', file, join(dir, 'room2')]);
    const second = parseVenueLink((await qrOfPng(readFileSync(join(dir, 'room2.png')))).text!);
    expect([second.name, second.type, second.staff, second.minutes]).toEqual(['员工休息室', 3, true, 480]);
    expect([second.version, second.region]).toEqual([2, 320500]); // the region column, by name
    execFileSync('pdftoppm', ['-png', '-r', '100', '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'room1')]);
    expect(parseVenueLink((await qrOfPng(readFileSync(join(dir, 'room1.png')))).text!).version).toBe(1); // empty: not given
    for (const r of requests) expect(decodeURIComponent(`${r.url} ${r.body}`)).not.toContain('员工休息室');
  }, 60000);

  test('axe-core finds no serious or critical problem on the page', async () => {
    const p = await browser.newPage();
    await p.setBypassCSP(true); // only so that axe-core can be injected
    await p.goto(`${base}/venue`);
    expect(await axeSerious(p)).toEqual([]);
    await p.close();
  }, 60000);
});
