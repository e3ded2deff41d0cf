/**
 * The playground driver's typing against a controlled input that puts an older value back, as a
 * React-controlled field does when the render for one keystroke lands after the next keystroke (a
 * loaded machine). CI saw it: the upload code in the playground story missing a character, the wait
 * for the field timing out. A person types no faster than the screen follows, and retypes a field
 * that lost a key; the driver must do the same.
 *
 * The stand-in screen is a page served on loopback, framed as the playground frames a phone
 * (`?phone=`, Taro's `.taro_page` stack): its field reverts once to the value it had at the third
 * keystroke, 40 ms after that keystroke — later than a burst of keys, sooner than a person's next key.
 * Independent expectation: the field ends holding exactly the text typed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import { PlaygroundDriver } from '../../tools/playground/drive';
import { CHROMIUM, launchChromium } from '../helpers/browser';

const suite = CHROMIUM ? describe : describe.skip;
if (!CHROMIUM) process.stderr.write('browser/playground-typing.test: skipped — chromium is not installed (apt-get install chromium)\n');

const SCREEN = `<!doctype html><html><body>
<div class="taro_page"><p>home</p></div>
<div class="taro_page"><div id="code"><input></div></div>
<script>
  const input = document.querySelector('#code input');
  let events = 0;
  input.addEventListener('input', () => {
    events += 1;
    if (events === 3) {
      const stale = input.value;
      setTimeout(() => { input.value = stale; }, 40);
    }
  });
</script></body></html>`;

const OUTER = `<!doctype html><html><body data-ready="1"><iframe src="/screen?phone=Alice"></iframe></body></html>`;

suite('the playground driver types into a field that puts an older value back', () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(req.url?.startsWith('/screen') ? SCREEN : OUTER);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchChromium();
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  test('the field ends holding every character typed', async () => {
    await page.goto(base, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('iframe')?.contentDocument?.readyState === 'complete');
    const d = new PlaygroundDriver(page);
    await d.type('Alice', '#code', 'ABCDE-FGHJK');
    const shown = await d.frame('Alice').evaluate(() => (document.querySelector('#code input') as HTMLInputElement).value);
    expect(shown).toBe('ABCDE-FGHJK');
  }, 60_000);
});
