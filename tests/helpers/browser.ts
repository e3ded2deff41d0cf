/**
 * Debian's chromium, driven through its executable path with puppeteer-core (no browser download).
 * `CHROMIUM` is null where it is not installed: the browser tests then say that they skip.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';

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
