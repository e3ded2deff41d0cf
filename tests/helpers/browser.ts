/**
 * Debian's chromium, driven through its executable path with puppeteer-core (no browser download).
 * `CHROMIUM` is null where it is not installed: the browser tests then say that they skip.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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

/** A loopback port free right now (the server is started on it, so PUBLIC_URL can name it). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}
