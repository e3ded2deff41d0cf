/**
 * Debian's chromium, driven through its executable path with puppeteer-core (no browser download).
 * `CHROMIUM` is null where it is not installed: the browser tests then say that they skip.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, HTTPResponse, Page } from 'puppeteer-core';
import { spawnServer } from './server-process';

export const CHROMIUM =
  [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p)) ?? null;

export async function launchChromium(): Promise<Browser> {
  const puppeteer = (await import('puppeteer-core')).default;
  return puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    // root in a container: no sandbox; /dev/shm is small there
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-US'],
  });
}

/** A loopback port free right now (the server is started on it, so PUBLIC_URL can name it). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Clicks `selector` (a form's submit button) and waits for the page the form leads to. */
export async function submitForm(page: Page, selector: string): Promise<HTTPResponse> {
  const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return response!;
}

/** A person's first steps in the portal: the password set through the admin CLI's one-time link, then a login. */
export async function firstLogin(page: Page, base: string, link: string, username: string, password: string): Promise<void> {
  await page.goto(link);
  await page.type('#password', password);
  await page.type('#password2', password);
  await submitForm(page, 'main button[type=submit]');
  await page.goto(`${base}/portal/login`);
  await page.type('#username', username);
  await page.type('#password', password);
  await submitForm(page, 'main button[type=submit]');
}

/** The key server as `npm start` runs it, on a port of its own and a fresh data folder, and a chromium to drive it. */
export interface PortalRig {
  dir: string;
  base: string;
  env: Record<string, string>;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startPortalRig(prefix: string): Promise<PortalRig> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = { DATA_DIR: dir, PUBLIC_URL: base, PORT: String(port) };
  const server = await spawnServer(env);
  const browser = await launchChromium();
  return {
    dir,
    base,
    env,
    browser,
    async stop() {
      await browser.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** axe-core on `page` (WCAG 2.1 A and AA, best practices): the serious and critical violations, as "rule (nodes)". */
export async function axeSerious(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }
    ).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
}
