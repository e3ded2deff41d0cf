/**
 * The key server as a real process (as `npm start` runs it), its admin CLI, HTTP clients that
 * upload as phones do, and an independent check of what the database holds: the SQLite file read
 * with better-sqlite3 (or MySQL with mysql2), batch bodies parsed from §9's layout here, hashes
 * and Ed25519 signatures checked with Node's crypto — none of it with the project's own code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { join } from 'node:path';
import { runTool, runToolAsync } from './run-tool';

const ROOT = join(__dirname, '../..');

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `server/main.ts` with `env` as one process (`node --import tsx`: the `tsx` command would
 * run it in a child, and a SIGKILL to the parent would leave the server running); `viaNpm` runs
 * `npm start` instead. Resolves once it listens.
 */
export async function spawnServer(env: Record<string, string>, opts: { viaNpm?: boolean } = {}): Promise<ServerProcess> {
  const fullEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ACCESS_LOG: '0', BATCH_INTERVAL_S: '0', ...env };
  const proc = opts.viaNpm
    ? spawn('npm', ['start', '--silent'], { cwd: ROOT, env: fullEnv })
    : spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], { cwd: ROOT, env: fullEnv });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`the server did not start: ${out}`)), 30000);
    const look = () => {
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        clearTimeout(t);
        resolve(m[1]);
      }
    };
    proc.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`the server exited (${code}) before listening: ${out}`));
    });
  });
  return {
    url,
    proc,
    output: () => out,
    exited,
    stop: (signal = 'SIGTERM') => {
      proc.kill(signal);
      return exited;
    },
  };
}

/** Starts the server and expects it to refuse to start: resolves with its exit code and output. */
export async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ACCESS_LOG: '0', ...env },
  });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  // a server that starts after all is stopped after 15 s (and reported as such), not waited for forever
  const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  clearTimeout(timer);
  return { code, output: out };
}

export function admin(env: Record<string, string>, ...args: string[]) {
  return runTool('server/admin.ts', args, { env });
}

/** admin() without blocking this process, for use while a server is up (see runToolAsync). */
export function adminAsync(env: Record<string, string>, ...args: string[]) {
  return runToolAsync('server/admin.ts', args, { env });
}

/** A new authority token from the admin CLI. */
export function newTokenCli(env: Record<string, string>): string {
  const r = admin(env, 'create-token', `clinic-${randomBytes(3).toString('hex')}`);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

export async function issueCodes(url: string, token: string, n: number): Promise<string[]> {
  const codes: string[] = [];
  for (let k = 0; k < n; k++) {
    const r = await fetch(`${url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    if (r.status !== 201) throw new Error(`issuing a code: ${r.status} ${await r.text()}`);
    codes.push(((await r.json()) as { code: string }).code);
  }
  return codes;
}

/** An upload as a phone makes it: one key for yesterday, and an uploadId for retries. */
export function uploadBody(code: string, nowS = Math.floor(Date.now() / 1000)) {
  const today = Math.floor(nowS / 600 / 144) * 144;
  return {
    code,
    keys: [{ aemk: randomBytes(32).toString('base64url'), i: today - 144 }],
    uploadId: randomBytes(16).toString('base64url'),
  };
}

export interface Sent {
  body: ReturnType<typeof uploadBody>;
  status: number | 'network';
  code?: string;
  ms: number;
}

export async function upload(url: string, body: ReturnType<typeof uploadBody>, timeoutMs = 20000): Promise<Sent> {
  const started = Date.now();
  try {
    const r = await fetch(`${url}/v1/diagnosis-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fake': '0' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const j = (await r.json().catch(() => ({}))) as { error?: { code: string } };
    return { body, status: r.status, code: j.error?.code, ms: Date.now() - started };
  } catch {
    return { body, status: 'network', ms: Date.now() - started };
  }
}

// ---- what the database holds, checked independently

export interface StoredBatch {
  n: number;
  hash: string;
  prevHash: string;
  signedAt: number;
  signature: string;
  body: Buffer;
}

/** The aemks a §9 body carries (parsed here from the layout, not with the project's decoder). */
export function keysInBody(body: Buffer): string[] {
  let o = 8 + 4 + 32 + 4;
  const days = body.readUInt32LE(o);
  o += 4;
  const keys: string[] = [];
  for (let d = 0; d < days; d++) {
    const count = body.readUInt32LE(o + 4);
    o += 8;
    for (let k = 0; k < count; k++, o += 32) keys.push(body.subarray(o, o + 32).toString('base64url'));
  }
  return keys;
}

/**
 * Throws unless the batches form one chain: numbers contiguous, each body hashing to its stored
 * hash, each prevHash the hash before (zero for batch 1), each head signed by `publicKey`.
 */
export function verifyChain(batches: StoredBatch[], publicKeyB64: string): void {
  const sorted = [...batches].sort((a, b) => a.n - b.n);
  sorted.forEach((b, k) => {
    if (k > 0 && b.n !== sorted[k - 1].n + 1) throw new Error(`batch ${b.n} follows batch ${sorted[k - 1].n}`);
    const hash = createHash('sha256').update(b.body).digest();
    if (hash.toString('hex') !== b.hash) throw new Error(`batch ${b.n}: the body does not hash to its hash`);
    if (b.body.readUInt32LE(8) !== b.n) throw new Error(`batch ${b.n}: the body says ${b.body.readUInt32LE(8)}`);
    const prev = b.body.subarray(12, 44).toString('hex');
    const expected = k === 0 ? (b.n === 1 ? '00'.repeat(32) : prev) : sorted[k - 1].hash;
    if (prev !== expected || prev !== b.prevHash) throw new Error(`batch ${b.n} does not link to the batch before`);
    if (!headSignatureOk(b, publicKeyB64)) throw new Error(`batch ${b.n}: bad signature`);
  });
}

/** Whether `signature` signs the §9 head `(n, hash, signedAt)` (hash in hex) under `publicKeyB64`, by Node's crypto. */
export function headSignatureOk(h: { n: number; hash: string; signedAt: number; signature: string }, publicKeyB64: string): boolean {
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKeyB64, 'base64url')]),
    format: 'der',
    type: 'spki',
  });
  const n = Buffer.alloc(4);
  n.writeUInt32LE(h.n);
  const at = Buffer.alloc(4);
  at.writeUInt32LE(h.signedAt);
  const message = Buffer.concat([Buffer.from('PrTC-HEAD'), n, Buffer.from(h.hash, 'hex'), at]);
  return verify(null, message, key, Buffer.from(h.signature, 'base64url'));
}

export async function publicKeyOf(url: string): Promise<string> {
  return ((await (await fetch(`${url}/v1/public-key`)).json()) as { key: string }).key;
}

/** Every key in the SQLite file at `file`: pending or published (better-sqlite3, read-only). */
export function sqliteContents(file: string): { batches: StoredBatch[]; pending: string[] } {
  const Database = require('better-sqlite3');
  const db = new Database(file, { readonly: true });
  try {
    const batches = (db.prepare('SELECT n, hash, prevHash, signedAt, signature, body FROM batch ORDER BY n').all() as StoredBatch[]).map(
      (b) => ({
        ...b,
        signedAt: Number(b.signedAt),
      }),
    );
    const pending = (db.prepare('SELECT aemk FROM pending_key').all() as { aemk: string }[]).map((r) => r.aemk);
    return { batches, pending };
  } finally {
    db.close();
  }
}

/** Runs `work` on `n` workers in parallel, each taking the next item. */
export async function pool<T, R>(items: T[], n: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const k = next++;
        out[k] = await work(items[k]);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until true (or fails after `ms`). */
export async function until(check: () => Promise<boolean> | boolean, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
