/**
 * The health authority's advice in a real browser (Debian's chromium) against the key server as
 * `npm start` runs it: the operator names its realm with the admin CLI, its admin sets a password,
 * logs in, edits the advice in the form (a Traditional Chinese field left empty), sees the preview
 * in four languages (OpenCC's conversion marked), publishes — and a simulated phone checking for
 * exposures against that server receives the new advice, its signature verified under the key it
 * pinned. axe-core checks the form and the preview (no serious or critical violation).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { SimWorld } from '../../testkit/world';
import { axeSerious, CHROMIUM, firstLogin, type PortalRig, startPortalRig, submitForm } from '../helpers/browser';
import { makePhone, startPhones } from '../helpers/phones';
import { admin } from '../helpers/server-process';

const ROOT = join(__dirname, '../..');
const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) process.stderr.write('browser/portal-advice.test: skipped — chromium is not installed (apt-get install chromium)\n');

const PASSWORD = 'harbour-lantern-copper-63';

suite('the advice form in chromium', () => {
  let rig: PortalRig;
  let base: string;
  let env: Record<string, string>;
  let browser: Browser;

  beforeAll(async () => {
    rig = await startPortalRig('prtc-advice-browser-');
    ({ base, env, browser } = rig);
  }, 60000);

  afterAll(async () => {
    await rig?.stop();
  });

  const submit = submitForm;
  const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim());

  test('the operator’s admin edits the advice, previews it in four languages, publishes; a phone receives it signed', async () => {
    const link = admin(env, 'create-user', '--realm', 'Health Commission', '--role', 'admin', 'olga').stdout.trim();
    expect(admin(env, 'operator-realm', 'Health Commission')).toMatchObject({ code: 0, stdout: 'Health Commission\n' });

    const ctx = await browser.createBrowserContext();
    const page = await ctx.newPage();
    await page.setBypassCSP(true); // only so that axe-core can be injected; the CSP itself is checked in tests/server
    await firstLogin(page, base, link, 'olga', PASSWORD);

    // the navigation leads to the advice; the form holds the advice in force (the build's default, serial 1)
    await submit(page, 'nav a[href="/portal/advice"]');
    expect(await text(page, '#serial')).toBe('1');
    expect(await axeSerious(page)).toEqual([]);
    const replace = async (selector: string, value: string) => {
      await page.$eval(selector, (e) => ((e as HTMLTextAreaElement).value = ''));
      await page.type(selector, value);
    };
    await replace('#f-green-en-now', 'Keep tracing on in crowded places. Vaccination clinics are open daily.');
    await replace('#f-green-zh_CN-now', '在人多的场所请保持接触记录开启。疫苗接种点每天开放。');
    await replace('#f-green-zh_TW-now', ''); // converted from the Simplified, Taiwan's usage
    await replace('#f-green-zh_HK-now', ''); // and Hong Kong's
    await page.type('#f-green-en-hotline', '12320');
    await page.type('#f-green-en-link', 'https://health.example/vaccines');

    const preview = await submit(page, 'form.advice button[type=submit]');
    expect(preview.status()).toBe(200);
    expect(await text(page, '#preview-green-en')).toBe(
      'Green Keep tracing on in crowded places. Vaccination clinics are open daily. Hotline: 12320 More: https://health.example/vaccines',
    );
    expect(await text(page, '#preview-green-zh_TW')).toBe(
      '綠碼 在人多的場所請保持接觸記錄開啟。疫苗接種點每天開放。 (converted from Simplified Chinese)',
    );
    // Hong Kong's standard writes 啓 where Taiwan's writes 啟
    expect(await text(page, '#preview-green-zh_HK')).toBe(
      '綠碼 在人多的場所請保持接觸記錄開啓。疫苗接種點每天開放。 (converted from Simplified Chinese)',
    );
    expect(await axeSerious(page)).toEqual([]);
    if (process.env.PRTC_SCREENSHOTS === '1') {
      mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
      await page.setViewport({ width: 1100, height: 900 });
      await page.screenshot({ path: join(ROOT, 'docs/images/portal-advice-preview.png'), fullPage: true });
    }

    const published = await submit(page, '#publish');
    expect(published.status()).toBe(200);
    expect(await text(page, 'main p[role=status]')).toBe(
      'Published as configuration 2. Phones receive it at their next check for exposures.',
    );
    expect(await text(page, '#serial')).toBe('2');
    expect(await text(page, '#publications tbody tr')).toMatch(/^2 \d{4}-\d\d-\d\d \d\d:\d\d olga$/);

    // a phone checks for exposures against this server: the new advice, signature checked
    const world = new SimWorld(Date.now());
    const phone = makePhone(world, 'P', base);
    await startPhones([phone], false);
    expect((await phone.device.runSync()).ok).toBe(true);
    expect(phone.device.view).toMatchObject({
      status: 'green',
      configSerial: 2,
      configRefused: null,
      advice: {
        now: 'Keep tracing on in crowded places. Vaccination clinics are open daily.',
        hotline: '12320',
        link: 'https://health.example/vaccines',
      },
    });
    phone.device.stop();
    await ctx.close();
  }, 120000);
});
