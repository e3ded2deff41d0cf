/**
 * Driving the playground page in Debian's chromium (puppeteer-core), as a person uses it: taps and
 * typing inside a phone's frame, dragging a phone in the room, the clock's buttons, the clinic, the
 * key server and the gate. For the browser test (tests/browser/playground.test.ts) and the
 * screenshots (tools/screenshots.ts). Every wait says what it waited for when it gives up.
 */
import type { Frame, Page } from 'puppeteer-core';

export interface PlaygroundWorldHandle {
  run(ms: number): Promise<void>;
  idle(): Promise<void>;
}

export class PlaygroundDriver {
  constructor(readonly page: Page) {}

  /** Opens the playground at `url` (paused: the clock moves only when told) and waits until it is ready. */
  static async open(page: Page, url: string): Promise<PlaygroundDriver> {
    await page.goto(`${url}?paused=1`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
    return new PlaygroundDriver(page);
  }

  /** The frame of phone `name` (its screen). */
  frame(name: string): Frame {
    const f = this.page.frames().find((x) => new URL(x.url()).searchParams.get('phone') === name);
    if (!f) throw new Error(`no screen for phone ${name}`);
    return f;
  }

  /**
   * The text of `sel` on the page `name` shows now — the top of the frame's page stack (Taro's H5
   * router keeps the pages below it in the document) — or null.
   */
  private read(name: string, sel: string): Promise<string | null> {
    return this.frame(name).evaluate((s) => {
      const pages = document.querySelectorAll('.taro_page');
      const el = (pages.length ? pages[pages.length - 1] : document).querySelector<HTMLElement>(s);
      return el ? (el.innerText ?? el.textContent ?? '') : null;
    }, sel);
  }

  /** Waits until `sel` is on `name`'s screen (and `check` holds for its text, when given). */
  async waitFor(
    name: string,
    sel: string,
    what: string,
    check: (text: string) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const last = await this.read(name, sel);
      if (last !== null && check(last)) return last;
      if (Date.now() > until)
        throw new Error(`${name}: timed out waiting for ${what} (${sel}: ${last === null ? 'not on screen' : `"${last}"`})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  text(name: string, sel: string): Promise<string | null> {
    return this.read(name, sel);
  }

  /** The whole screen's text. */
  screenText(name: string): Promise<string> {
    return this.frame(name).evaluate(() => document.body.innerText);
  }

  /** A tap on `sel` on `name`'s screen. */
  async tap(name: string, sel: string): Promise<void> {
    await this.waitFor(name, sel, `${sel} to tap`);
    await this.frame(name).evaluate((s) => {
      const pages = document.querySelectorAll('.taro_page');
      (pages.length ? pages[pages.length - 1] : document).querySelector<HTMLElement>(s)!.click();
    }, sel);
  }

  /**
   * Types `text` into the input `sel` on `name`'s screen, as a person does: key by key, each one
   * after the field shows the ones before, and checked at the end — a field that lost a key is
   * typed again over its content, up to three times.
   *
   * The page's input is controlled (Taro's Input shows the value React renders). On a loaded machine
   * React's render for one keystroke can land after the next keystroke and put the older value back
   * (seen on CI: the upload code missing a character, the field never matching). A person would see
   * it and retype; typing at the speed the screen follows avoids most of it.
   */
  async type(name: string, sel: string, text: string): Promise<void> {
    await this.waitFor(name, sel, `${sel} to type into`);
    const frame = this.frame(name);
    // the page may add separators, as the code's hyphen: compare letters and digits only
    const bare = (s: string) => s.replace(/[^0-9A-Za-z\u00C0-\uFFFF]/g, '').toUpperCase();
    const shown = () =>
      frame.evaluate((s) => {
        const pages = document.querySelectorAll('.taro_page');
        const el = (pages.length ? pages[pages.length - 1] : document).querySelector<HTMLElement>(s);
        return ((el?.querySelector('input') ?? el) as HTMLInputElement | null)?.value ?? '';
      }, sel);
    // waits until the field shows `want` and still does two frames later; false when it never does
    const settles = (want: string, timeout: number) =>
      frame
        .waitForFunction(
          async (s, w) => {
            const read = () => {
              const pages = document.querySelectorAll('.taro_page');
              const el = (pages.length ? pages[pages.length - 1] : document).querySelector<HTMLElement>(s);
              const v = ((el?.querySelector('input') ?? el) as HTMLInputElement | null)?.value ?? '';
              return v.replace(/[^0-9A-Za-z\u00C0-\uFFFF]/g, '').toUpperCase();
            };
            if (read() !== w) return false;
            for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(() => r(null)));
            return read() === w;
          },
          { timeout, polling: 50 },
          sel,
          want,
        )
        .then(
          () => true,
          () => false,
        );
    for (let attempt = 1; attempt <= 3; attempt++) {
      // focus the field with whatever it holds selected, so the first key replaces it
      await frame.evaluate((s) => {
        const pages = document.querySelectorAll('.taro_page');
        const el = (pages.length ? pages[pages.length - 1] : document).querySelector<HTMLElement>(s)!;
        const input = (el.querySelector('input') ?? el) as HTMLInputElement;
        input.focus();
        input.select?.();
      }, sel);
      let typed = '';
      for (const ch of text) {
        await this.page.keyboard.type(ch);
        typed += ch;
        if (!(await settles(bare(typed), 5_000))) break;
      }
      if (await settles(bare(text), 2_000)) return;
    }
    throw new Error(`${name}: ${sel} shows "${await shown()}" after "${text}" was typed three times`);
  }

  /** WeChat's back arrow above `name`'s screen. */
  async back(name: string): Promise<void> {
    const pages = () => this.frame(name).evaluate(() => document.querySelectorAll('.taro_page').length);
    const before = await pages();
    if (before < 2) throw new Error(`${name}: no page to go back from`);
    await this.page.waitForSelector(`#back-${name}:not([hidden])`);
    await this.page.$eval(`#back-${name}`, (el) => (el as HTMLElement).click());
    await this.frame(name).waitForFunction((n) => document.querySelectorAll('.taro_page').length < n, {}, before);
  }

  /** The consent in Settings, then tracing on the home page with the privacy prompt agreed to. */
  async startTracing(name: string, tracingOn: string): Promise<void> {
    await this.tap(name, '#go-settings');
    await this.tap(name, '#consent');
    await this.waitFor(name, '#consent-state', 'the consent given');
    await this.back(name);
    await this.tap(name, '#tracing-toggle');
    await this.tap(name, '#agree-btn');
    await this.waitFor(name, '#tracing-state', 'tracing on', (t) => t === tracingOn);
  }

  /** Drags phone `name`'s dot in the room to (x, y) metres, with the mouse. */
  async drag(name: string, x: number, y: number): Promise<void> {
    const dot = await this.page.$(`.field [data-phone="${name}"]`);
    const from = await dot!.boundingBox();
    const to = await this.page.evaluate(
      (px, py) => {
        const svg = document.querySelector<SVGSVGElement>('.field')!;
        const p = new DOMPoint(px, py).matrixTransform(svg.getScreenCTM()!);
        return { x: p.x, y: p.y };
      },
      x,
      y,
    );
    await this.page.mouse.move(from!.x + from!.width / 2, from!.y + from!.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(to.x, to.y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** The distance the page shows between two phones. */
  distance(a: string, b: string): Promise<string> {
    return this.page.$eval(`#dist-${a}-${b}`, (el) => el.textContent ?? '');
  }

  /** Fast-forwards the world `minutes` with the page's buttons (10 min, 1 h, 1 day), then waits until it has run. */
  async forward(minutes: number): Promise<void> {
    for (const step of [1440, 60, 10]) {
      while (minutes >= step) {
        await this.page.click(`[data-forward="${step}"]`);
        minutes -= step;
      }
    }
    if (minutes !== 0) throw new Error('forward: whole multiples of 10 minutes only');
    await this.page.evaluate(() => (window as unknown as { prtcWorld: PlaygroundWorldHandle }).prtcWorld.idle());
  }

  /** A switch of a phone's card (bt, loc, net, fg…). */
  async knob(name: string, id: string, on: boolean): Promise<void> {
    const sel = `#${id}-${name}`;
    if ((await this.page.$eval(sel, (el) => (el as HTMLInputElement).checked)) !== on) await this.page.click(sel);
  }

  /** The clinic issues a code (the real authority API); returns it. */
  async issueCode(): Promise<string> {
    await this.page.$eval('#clinic-code', (el) => (el.textContent = ''));
    await this.page.click('#issue-code');
    await this.page.waitForFunction(() => document.querySelector('#clinic-code')!.textContent !== '');
    return this.page.$eval('#clinic-code', (el) => el.textContent ?? '');
  }

  /** The key server publishes; returns what the page said. */
  async publish(): Promise<string> {
    await this.page.$eval('#publish-result', (el) => (el.textContent = ''));
    await this.page.click('#publish');
    await this.page.waitForFunction(() => document.querySelector('#publish-result')!.textContent !== '');
    return this.page.$eval('#publish-result', (el) => el.textContent ?? '');
  }

  /** The gate's visitor is `name`; `button` is one of the gate panel's (gate-show, gate-photo, gate-show-photo). */
  async gate(name: string, button: 'gate-show' | 'gate-photo' | 'gate-show-photo'): Promise<string> {
    await this.page.select('#gate-visitor', name);
    await this.page.$eval('#gate-note', (el) => (el.textContent = ''));
    await this.page.click(`#${button}`);
    await this.page.waitForFunction(() => document.querySelector('#gate-note')!.textContent !== '');
    return this.page.$eval('#gate-note', (el) => el.textContent ?? '');
  }
}
