/**
 * The playground in Debian's chromium (`npm run playground`'s page, started as the command starts
 * it): four phones run the H5 build of the mini-program, each over its own simulated handset, on one
 * simulated world and a real key server. The story is driven as a tester drives it — taps and typing
 * on the phones' screens, dragging phones in the room, the clock's fast-forward, the clinic's code,
 * the server's publication, the gate — and each phone's page is read back:
 * Alice sits 1 m from Bob for 30 minutes, Chen 8 m away for 20, Dana stays across the room; next
 * day Alice tests positive, uploads with the clinic's code, the server publishes, every phone
 * checks: Bob red, Chen yellow, Dana green, Alice red (her own report). The gate accepts Dana's
 * code from her screen and refuses a photo of Bob's taken ten minutes earlier.
 *
 * Independent expectations: the colours follow the demo's story (tools/demo.ts: 30 min at 1 m is
 * red, 20 min at 8 m yellow; docs/protocol.md §6), distances are the geometry of where the phones
 * were dragged, the gate's refusal is §8's 60-second rule.
 *
 * Then axe-core checks every page of the build (the list comes from the build's own app config)
 * in the light and the dark theme and at the largest font size: no serious or critical violation.
 */
import type { Browser, Page } from 'puppeteer-core';
import { t } from '../../miniprogram/i18n';
import { PlaygroundDriver } from '../../tools/playground/drive';
import { startPlayground, type Playground } from '../../tools/playground/run';
import { CHROMIUM, launchChromium } from '../helpers/browser';

const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) process.stderr.write('browser/playground.test: skipped — chromium is not installed (apt-get install chromium)\n');

/** 09:00 in Shanghai on a Monday; the phones' local time is the browser's (emulated below). */
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);
const PHONES = ['Alice', 'Bob', 'Chen', 'Dana'];

/**
 * WeChat's largest font size, as the browser's default font size: page-meta's root-font-size
 * 'system' (every text size of app.css is in rem) has no H5 counterpart — Taro's H5 PageMeta is not
 * supported ("H5 暂不支持 PageMeta 组件") — so in the H5 build 1rem is the browser's own default size,
 * which the user's browser setting moves as WeChat's setting moves WeChat's. WeChat documents the
 * setting only as a pixel value (getSystemInfo fontSizeSetting) without a maximum; 200% of the
 * default (WCAG 1.4.4's resize requirement) stands for its largest step.
 */
const LARGEST_FONT_PX = 32;

async function axeSerious(page: Page, frameName: string, driver: PlaygroundDriver): Promise<string[]> {
  const frame = driver.frame(frameName);
  if (!(await frame.evaluate(() => 'axe' in window))) await frame.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await frame.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  void page;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

suite('the playground in chromium', () => {
  let pg: Playground;
  let browser: Browser;
  let page: Page;
  let d: PlaygroundDriver;
  const errors: string[] = [];

  beforeAll(async () => {
    pg = await startPlayground({ phones: 4, languages: ['en'], startMs: T0, seed: 'playground-test' });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.emulateTimezone('Asia/Shanghai');
    await page.setViewport({ width: 1900, height: 1100 });
    page.on('pageerror', (e) => errors.push((e as Error).message));
    d = await PlaygroundDriver.open(page, pg.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pg?.stop();
  });

  test('meet, diagnose, upload, publish, check: red, yellow and green on the phones; the gate accepts and refuses', async () => {
    for (const n of PHONES) expect(await d.waitFor(n, '#status', `${n}'s first screen`)).toBe('Green');
    for (const n of PHONES) await d.startTracing(n, t('en', 'tracingOn'));

    // the room: Bob 1 m from Alice, Chen 8 m, Dana across the room (positions in metres)
    await d.drag('Bob', 9, 20);
    await d.drag('Chen', 8, 28);
    expect(await d.distance('Alice', 'Bob')).toBe('Alice ↔ Bob: 1.0 m');
    expect(await d.distance('Alice', 'Chen')).toBe('Alice ↔ Chen: 8.0 m');
    expect(await d.distance('Alice', 'Dana')).toBe('Alice ↔ Dana: 102 m (out of radio range)');
    await d.forward(20);
    await d.drag('Chen', 60, 35); // Chen leaves after 20 minutes
    await d.forward(10);
    await d.drag('Bob', 40, 5); // Bob after 30
    for (const n of ['Alice', 'Bob', 'Chen']) expect(await d.text(n, '#encounters')).not.toMatch(/^0 /);
    expect(await d.text('Dana', '#encounters')).toMatch(/^0 /);

    // the next day: the clinic's code, Alice's upload on her report page, the server publishes
    await d.forward(24 * 60);
    const code = await d.issueCode();
    expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    await d.tap('Alice', '#go-report');
    await d.type('Alice', '#code', code);
    await d.tap('Alice', '#upload');
    expect(await d.waitFor('Alice', '#result', 'the upload')).toMatch(/uploaded/);
    expect(await d.publish()).toBe('published batch 1');
    await d.back('Alice');

    // every phone checks, on its own home page; a check takes a moment (the worker matches), so each
    // colour is waited for — a wrong one fails with what the page showed instead
    for (const n of PHONES) await d.tap(n, '#sync');
    const expected: Record<string, string> = { Bob: 'Red', Chen: 'Yellow', Dana: 'Green', Alice: 'Red' };
    for (const [n, c] of Object.entries(expected)) await d.waitFor(n, '#status', `${n}: ${c}`, (t) => t === c);
    for (const [n, c] of Object.entries(expected)) expect([n, await d.text(n, '#status')]).toEqual([n, c]);
    // the reasons are coarse (§6): Bob's 30 minutes near and Chen's 20 at medium distance as bands
    expect(await d.text('Bob', '#reasons')).toContain(t('en', 'dur_30to60'));
    expect(await d.text('Chen', '#reasons')).toContain(t('en', 'dur_10to30'));

    // the gate: Dana's screen accepted; a photo of Bob's, ten minutes old, refused
    await d.forward(10); // the codes on screen are made again (every 30 s)
    expect(await d.gate('Dana', 'gate-show')).toBe("Dana's screen held up to the gate's camera");
    await d.tap('Gate', '#agree-btn'); // the gate's first scan asks for the privacy agreement
    expect(await d.waitFor('Gate', '#gate-status', 'the verdict')).toBe('Green');
    expect(await d.text('Gate', '#gate-checked')).toMatch(/made 0 s ago/);
    expect(await d.gate('Bob', 'gate-photo')).toBe("took a photo of Bob's screen");
    await d.forward(10);
    await d.tap('Gate', '#scan'); // "scan the next visitor"
    expect(await d.gate('Bob', 'gate-show-photo')).toMatch(/600 s old/);
    expect(await d.waitFor('Gate', '#gate-status', 'the refusal', (t) => t !== 'Green')).toBe('Not valid');
    expect(await d.text('Gate', '#gate-reason-0')).toMatch(/older than 60 seconds/);
    expect(errors).toEqual([]);
  }, 240_000);

  test('axe-core: every page of the build, light and dark, and at the largest font size — no serious or critical issue', async () => {
    const pages = await d
      .frame('Bob')
      .evaluate(() => (window as unknown as { __taroAppConfig: { pages: string[] } }).__taroAppConfig.pages);
    expect(pages.length).toBeGreaterThanOrEqual(8);
    const cdp = await page.createCDPSession();
    const found: string[] = [];
    for (const [scheme, px] of [
      ['light', 16],
      ['dark', 16],
      ['light', LARGEST_FONT_PX],
    ] as const) {
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await cdp.send('Page.setFontSizes', { fontSizes: { standard: px } });
      expect(await d.frame('Bob').evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe(`${px}px`);
      for (const route of pages) {
        await d.frame('Bob').evaluate((r) => {
          location.hash = `#/${r}`;
        }, route);
        await d.frame('Bob').waitForFunction((r) => document.querySelector('.taro_page_show')?.id.includes(r), {}, route);
        await new Promise((r) => setTimeout(r, 150));
        for (const v of await axeSerious(page, 'Bob', d)) found.push(`${scheme} ${px}px ${route}: ${v}`);
      }
    }
    // and the gate's refusal on screen, the red home page and the report's result as the story left them
    for (const n of ['Gate', 'Alice']) for (const v of await axeSerious(page, n, d)) found.push(`light ${LARGEST_FONT_PX}px ${n}: ${v}`);
    expect(found).toEqual([]);
  }, 240_000);
});
