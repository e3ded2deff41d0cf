import { randomBytes } from 'node:crypto';
import { startServer, type RunningServer } from '../../server/runtime';
import type { ServerConfig } from '../../server/config';
import { freshDb, type TestDb } from './db';
import { toBase64url } from '../../shared/protocol/codec';
import { dayInterval, enin, ROLLING_PERIOD } from '../../shared/protocol/time';

/** A clock tests can move. Starts at 2026-11-23 12:00 UTC. */
export class TestClock {
  t = Date.UTC(2026, 10, 23, 12, 0, 0) / 1000;
  now() {
    return this.t;
  }
  advance(seconds: number) {
    this.t += seconds;
  }
  get today() {
    return dayInterval(enin(this.t));
  }
}

export interface TestServer extends RunningServer {
  db: TestDb;
  clock: TestClock;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestServer(
  kind: 'sqlite' | 'mysql',
  overrides: Partial<ServerConfig> = {},
  clock = new TestClock(),
): Promise<TestServer> {
  const db = await freshDb(kind);
  const logs: string[] = [];
  const s = await startServer(
    { port: 0, host: '127.0.0.1', dataDir: db.dataDir, databaseUrl: db.url, batchIntervalS: 0, minBatchKeys: 0, ...overrides },
    { clock, log: (l) => logs.push(l), env: {}, drainMs: 50 },
  );
  return Object.assign(s, {
    db,
    clock,
    logs,
    stop: async () => {
      await s.close();
      await db.drop();
    },
  });
}

export interface Res {
  status: number;
  body: any;
  headers: Headers;
  raw: Buffer;
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const r = await fetch(base + path, init);
  const raw = Buffer.from(await r.arrayBuffer());
  let parsed: unknown = null;
  if ((r.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(raw.toString('utf8'));
  return { status: r.status, body: parsed, headers: r.headers, raw };
}

export const randomKey = () => toBase64url(new Uint8Array(randomBytes(32)));

export async function newToken(s: RunningServer, name = `ha-${randomBytes(3).toString('hex')}`) {
  return s.services.authority.createToken(name);
}

export async function issueCode(s: RunningServer, token: string): Promise<string> {
  const r = await call(s.url, 'POST', '/v1/authority/codes', undefined, { authorization: `Bearer ${token}` });
  if (r.status !== 201) throw new Error(`issue code failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.code;
}

/**
 * Uploads one random key for yesterday (today's is embargoed until tomorrow) with a real code, as a
 * diagnosed phone would, and publishes: gives phones a signed checkpoint to sync to. Returns the
 * upload's status and the batch numbers published, for the test to check.
 */
export async function uploadOneKeyAndPublish(s: RunningServer, nowS: number): Promise<{ status: number; published: number[] }> {
  const yesterday = dayInterval(enin(nowS)) - ROLLING_PERIOD;
  const up = await call(s.url, 'POST', '/v1/diagnosis-keys', {
    code: await issueCode(s, await newToken(s)),
    keys: [{ aemk: randomKey(), i: yesterday }],
  });
  return { status: up.status, published: await s.services.publishing.publish() };
}
