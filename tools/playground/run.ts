/**
 * A whole playground, started and stopped as one: a key server on a temporary SQLite database (as
 * the demo's), a health-authority token for the clinic panel, and the playground's web server in
 * front (server.ts). `npm run playground`, the browser test and the screenshots start it this way.
 * `stop()` ends the servers and deletes the temporary folder.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Language } from '../../miniprogram/host/types';
import { startServer } from '../../server/runtime';
import { startPlaygroundServer } from './server';

export const ROOT = join(__dirname, '../..');
export const PAGE_DIR = join(ROOT, 'dist/playground');
export const APP_DIR = join(ROOT, 'dist/h5');

/** The cast: the demo's names, as many as there are phones. */
const NAMES = ['Alice', 'Bob', 'Chen', 'Dana', 'Emil', 'Fang', 'Gus', 'Hana'];
export const MAX_PHONES = NAMES.length;

export interface PlaygroundOptions {
  phones: number;
  /** Each phone's WeChat language, in turn (one: every phone). */
  languages: Language[];
  /** Unix ms the world starts at. */
  startMs: number;
  /** Makes every phone's secrets the same from run to run (pictures); none: the browser's random source. */
  seed?: string;
  host?: string;
  port?: number;
  /** The key server's Ed25519 secret key (base64url); none: a new one in the temporary folder. */
  signingKey?: string;
}

export interface Playground {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** Whether what the page needs is built (`npm run build -- h5 playground`). */
export function missingBuilds(): string[] {
  return [
    ...(existsSync(join(APP_DIR, 'index.html')) && existsSync(join(APP_DIR, 'workers/index.js')) ? [] : ['h5']),
    ...(existsSync(join(PAGE_DIR, 'playground.js')) ? [] : ['playground']),
  ];
}

export async function startPlayground(o: PlaygroundOptions): Promise<Playground> {
  const missing = missingBuilds();
  if (missing.length) throw new Error(`not built: run \`npm run build -- ${missing.join(' ')}\` first`);
  const dataDir = mkdtempSync(join(tmpdir(), 'prtc-playground-'));
  let simNow = o.startMs;
  let key: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    key = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        dataDir,
        databaseUrl: `sqlite:${join(dataDir, 'playground.sqlite')}`,
        // published by the page's button, at the world's time
        batchIntervalS: 0,
        minBatchKeys: 0,
        accessLog: false,
        ...(o.signingKey ? { signingKey: o.signingKey } : {}),
      },
      { clock: { now: () => Math.floor(simNow / 1000) }, log: null, env: {} },
    );
    const authorityToken = await key.services.authority.createToken('playground-clinic');
    const services = key.services;
    const phones = NAMES.slice(0, o.phones).map((name, k) => ({
      name,
      language: o.languages[k % o.languages.length],
      // 33 m apart: out of each other's radio range (30 m) until someone drags them together
      position: { x: 8 + 34 * k, y: 20 },
      ...(o.seed ? { seed: o.seed } : {}),
    }));
    const web = await startPlaygroundServer({
      pageDir: PAGE_DIR,
      appDir: APP_DIR,
      keyServerUrl: key.url.replace(/\/$/, ''),
      host: o.host,
      port: o.port,
      config: () => ({
        phones,
        gate: { name: 'Gate', language: o.languages[0], position: { x: 10_000, y: 10_000 }, ...(o.seed ? { seed: o.seed } : {}) },
        startMs: o.startMs,
        app: 'app/',
        authorityToken,
        languages: o.languages,
      }),
      onSimTime: (ms) => {
        simNow = Math.max(simNow, ms);
      },
      publish: () => services.publishing.publish(),
    });
    const server = key;
    return {
      url: web.url,
      dataDir,
      async stop() {
        await web.close();
        await server.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await key?.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
