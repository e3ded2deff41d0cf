/**
 * `npm run screenshots`: a PNG of every page of the H5 build in its main states, in each of WeChat's
 * four languages the app speaks, into docs/images/pages/<language>/<page>-<state>.png, and the
 * playground with four phones (docs/images/playground.png). Debian's chromium drives the playground
 * through the same story as tests/browser/playground.test.ts; the pages it does not reach are taken
 * as they first open, so a page added to the build (app.config.ts) gets its picture too.
 *
 * The same every run: a fixed clock (the world is paused and moved by fast-forward only), fixed
 * seeds for every phone's secrets, a fixed signing key for the server, Shanghai's time zone, a
 * phone-sized frame at device pixel ratio 1. What still differs from run to run is only what the
 * server draws at random (an upload code, the order of a batch's keys), which the pictures show
 * through the health code's QR at most.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { decode, encode } from 'fast-png';
import { applyPaletteSync, buildPaletteSync, utils } from 'image-q';
import type { Browser, Page } from 'puppeteer-core';
import type { Language } from '../miniprogram/host/types';
import { PlaygroundDriver } from './playground/drive';
import { missingBuilds, ROOT, startPlayground } from './playground/run';

const OUT = join(ROOT, 'docs/images/pages');
const LANGUAGES: Language[] = ['zh_CN', 'zh_TW', 'zh_HK', 'en'];
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);
/** A fixed Ed25519 secret key for the pictures' server (32 bytes of 0x11: a picture key, nothing else). */
const PICTURE_SIGNING_KEY = Buffer.alloc(32, 0x11).toString('base64url');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => statSync(p, { throwIfNoEntry: false }));

/** "Tracing is on" in each language, read from the app's own strings. */
async function tracingOnText(lang: Language): Promise<string> {
  const { t } = await import('../miniprogram/i18n');
  return t(lang, 'tracingOn');
}

/** Colours a picture keeps: flat interface colours and anti-aliased text read well with 64 (Wu's quantizer, no dithering). */
const COLOURS = 64;

/** The PNG with at most COLOURS colours, as an indexed PNG (about a third of the size of chromium's true-colour one). */
export function palettePng(png: Uint8Array): Uint8Array {
  const img = decode(png);
  const rgba = new Uint8Array(img.width * img.height * 4);
  for (let k = 0, n = img.width * img.height; k < n; k++) {
    for (let c = 0; c < 3; c++) rgba[4 * k + c] = img.data[img.channels * k + c];
    rgba[4 * k + 3] = 255;
  }
  const points = utils.PointContainer.fromUint8Array(rgba, img.width, img.height);
  const palette = buildPaletteSync([points], { colors: COLOURS, paletteQuantization: 'wuquant', colorDistanceFormula: 'euclidean' });
  const out = applyPaletteSync(points, palette, { imageQuantization: 'nearest', colorDistanceFormula: 'euclidean' }).toUint32Array();
  const colours = palette.getPointContainer().toUint32Array();
  const index = new Map<number, number>();
  colours.forEach((c, k) => index.set(c, k));
  const indices = new Uint8Array(out.length);
  for (let k = 0; k < out.length; k++) indices[k] = index.get(out[k])!;
  // toUint32Array packs a point as little-endian RGBA
  const rgb = Array.from(colours, (c) => [c & 0xff, (c >>> 8) & 0xff, (c >>> 16) & 0xff]);
  return encode({ width: img.width, height: img.height, data: indices, depth: 8, channels: 1, palette: rgb });
}

async function shoot(d: PlaygroundDriver, phone: string, file: string, shots: string[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 250)); // let the last render settle
  // the same frame every run: a page's slide-in transition at its end, a looping animation (the gate's
  // sweep) at its start, no caret
  await d.frame(phone).evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur?.();
    for (const a of document.getAnimations()) {
      if (a instanceof CSSTransition) a.finish();
      else {
        a.pause();
        a.currentTime = 0;
      }
    }
  });
  const frame = await d.page.$(`#frame-${phone}`);
  writeFileSync(file, palettePng(await frame!.screenshot({ type: 'png' })));
  shots.push(file);
}

async function picturesIn(browser: Browser, lang: Language, shots: string[]): Promise<void> {
  const dir = join(OUT, lang);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pg = await startPlayground({ phones: 4, languages: [lang], startMs: T0, seed: 'screenshots', signingKey: PICTURE_SIGNING_KEY });
  const page: Page = await browser.newPage();
  try {
    await page.emulateTimezone('Asia/Shanghai');
    await page.setViewport({ width: 2060, height: 1120, deviceScaleFactor: 1 });
    const d = await PlaygroundDriver.open(page, pg.url);
    const taken = new Set<string>();
    const shot = async (phone: string, name: string) => {
      taken.add(name.split('-')[0]);
      await shoot(d, phone, join(dir, `${name}.png`), shots);
    };
    const on = await tracingOnText(lang);

    await d.waitFor('Bob', '#status', 'the first screen');
    await shot('Bob', 'home-first-launch');
    await d.tap('Bob', '#go-settings');
    await d.waitFor('Bob', '#consent', 'settings');
    await shot('Bob', 'settings-no-consent');
    await d.tap('Bob', '#consent');
    await d.waitFor('Bob', '#consent-state', 'the consent');
    await shot('Bob', 'settings-consent');
    await d.back('Bob');
    await d.tap('Bob', '#tracing-toggle');
    await d.waitFor('Bob', '#privacy-popup', 'the privacy prompt');
    await shot('Bob', 'home-privacy-prompt');
    await d.tap('Bob', '#agree-btn');
    await d.waitFor('Bob', '#tracing-state', 'tracing on', (t) => t === on);
    for (const n of ['Alice', 'Chen', 'Dana']) await d.startTracing(n, on);

    await d.drag('Bob', 9, 20);
    await d.drag('Chen', 8, 28);
    await d.forward(20);
    await d.drag('Chen', 60, 35);
    await d.forward(10);
    await d.drag('Bob', 40, 5);
    await shot('Bob', 'home-green-tracing');

    await d.forward(24 * 60);
    const code = await d.issueCode();
    await d.tap('Alice', '#go-report');
    await d.waitFor('Alice', '#upload', 'the report page');
    await shot('Alice', 'report-form');
    await d.type('Alice', '#code', code);
    await d.tap('Alice', '#upload');
    await d.waitFor('Alice', '#result', 'the upload');
    await shot('Alice', 'report-uploaded');
    await d.back('Alice');
    await d.publish();
    for (const n of ['Alice', 'Bob', 'Chen', 'Dana']) await d.tap(n, '#sync');
    await d.waitFor('Bob', '#status-block', 'red', () => true);
    await d.page.waitForFunction(
      () =>
        ['Bob', 'Chen'].every(
          (n) =>
            !(
              document.querySelector<HTMLIFrameElement>(`#frame-${n}`)!.contentDocument!.querySelector('#status-block')?.className ?? ''
            ).includes('status-green'),
        ),
      { timeout: 30_000 },
    );
    await d.forward(10);
    await shot('Bob', 'home-red');
    await shot('Chen', 'home-yellow');
    await shot('Dana', 'home-green');
    await d.tap('Bob', '#go-exposure');
    await d.waitFor('Bob', '#reason-0', 'the reasons');
    await shot('Bob', 'exposure-red');
    await d.back('Bob');
    await d.tap('Bob', '#go-history');
    await d.waitFor('Bob', '#sync-0', 'the history');
    await shot('Bob', 'history-after-red');
    await d.back('Bob');

    await d.waitFor('Gate', '#scan', 'the gate');
    await shot('Gate', 'gate-ready');
    await d.gate('Dana', 'gate-show');
    await d.tap('Gate', '#agree-btn');
    await d.waitFor('Gate', '#gate-checked', 'the verdict');
    await shot('Gate', 'gate-valid');
    await d.gate('Bob', 'gate-photo');
    await d.forward(10);
    await d.tap('Gate', '#scan');
    await d.gate('Bob', 'gate-show-photo');
    await d.waitFor('Gate', '#gate-reason-0', 'the refusal');
    await shot('Gate', 'gate-invalid');
    if (lang === 'en') {
      // the playground itself, four phones side by side as the story left them
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        document.querySelector('.phones-row')!.scrollLeft = 0;
      });
      const file = join(ROOT, 'docs/images/playground.png');
      writeFileSync(file, palettePng(await page.screenshot({ type: 'png' })));
      shots.push(file);
    }

    // every other page of the build, as it first opens (the list is the build's own)
    const pages = await d
      .frame('Dana')
      .evaluate(() => (window as unknown as { __taroAppConfig: { pages: string[] } }).__taroAppConfig.pages);
    for (const route of pages) {
      const name = route.split('/')[1];
      if (taken.has(name)) continue;
      await d.frame('Dana').evaluate((r) => {
        location.hash = `#/${r}`;
      }, route);
      await d.frame('Dana').waitForFunction((r) => document.querySelector('.taro_page_show')?.id.includes(r), {}, route);
      await shot('Dana', `${name}-first-open`);
    }
  } finally {
    await page.close();
    await pg.stop();
  }
}

async function main() {
  if (!CHROMIUM) throw new Error("needs Debian's chromium (apt-get install chromium)");
  const missing = missingBuilds();
  if (missing.length) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'tools/build.ts'), ...missing], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`npm run build -- ${missing.join(' ')} failed`);
  }
  const puppeteer = (await import('puppeteer-core')).default;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-US'],
  });
  const shots: string[] = [];
  try {
    for (const lang of LANGUAGES) {
      await picturesIn(browser, lang, shots);
      process.stdout.write(`${lang}: ${readdirSync(join(OUT, lang)).length} pictures\n`);
    }
  } finally {
    await browser.close();
  }
  const bytes = shots.reduce((n, f) => n + statSync(f).size, 0);
  process.stdout.write(
    `${shots.length} pictures, ${(bytes / 1024).toFixed(0)} KB in all, in docs/images/pages/ and docs/images/playground.png\n`,
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`screenshots: ${e.message}\n`);
    process.exit(1);
  },
);
