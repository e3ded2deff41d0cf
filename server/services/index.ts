/**
 * The service layer: everything the HTTP routes and the cloud functions do, over the repositories.
 * Routes and functions are thin adapters; no logic lives in them.
 */
import { randomBytes } from 'node:crypto';
import {
  codeFromRandom, normalizeCode, validateUpload,
  type IssueCodeResponse, type PublicKeyResponse, type SignedConfigResponse, type StatsResponse, type UploadResponse,
} from '../../shared/api';
import { batchHash, encodeBatch, headToJson, ZERO_HASH, type BatchDay, type BatchListResponse } from '../../shared/batch';
import { fromBase64url, toBase64url, toHex, fromHex } from '../../shared/codec';
import { PrtcError } from '../../shared/errors';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from '../../shared/risk';
import { configMessage, headMessage } from '../../shared/signing';
import { dayInterval, dayLabel, enin, retentionStart, ROLLING_PERIOD, RETENTION_DAYS } from '../../shared/time';
import type { ServerConfig } from '../config';
import type { BatchHeadRow, Store } from '../db/store';
import { FailureLimiter } from './limiter';
import type { Secrets } from './secrets';

export interface Clock { now(): number }
export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

export interface ServiceDeps {
  store: Store;
  secrets: Secrets;
  config: ServerConfig;
  clock?: Clock;
  riskConfig?: RiskConfig;
}

const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const PAGE_SIZE = 100;

/** Errors from the database driver that mean "the database is not reachable" → 503. */
export function isDatabaseDown(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; message?: string; name?: string };
  const codes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST',
    'ER_CON_COUNT_ERROR', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'SQLITE_BUSY', 'SQLITE_CANTOPEN', 'SQLITE_IOERR'];
  if (err?.code && codes.includes(err.code)) return true;
  if (err?.name === 'ConnectionIsNotSetError' || err?.name === 'CannotExecuteNotConnectedError') return true;
  return /connection is not established|Connection lost|closed state|Pool is closed|database connection is not open|The database connection is not open/i.test(err?.message ?? '');
}

export function createServices(deps: ServiceDeps) {
  const { store, secrets, config } = deps;
  const clock = deps.clock ?? systemClock;
  const limiter = new FailureLimiter(config.maxFailuresPerCode, config.maxFailuresPerMinute);
  const riskConfigJson = JSON.stringify(deps.riskConfig ?? DEFAULT_RISK_CONFIG);
  const riskConfigSignature = toBase64url(secrets.sign(configMessage(riskConfigJson)));
  // Moving average of real upload durations, so fake uploads take about as long.
  let uploadMs = 20;

  const authority = {
    async createToken(name: string): Promise<string> {
      if (!TOKEN_NAME.test(name)) throw new PrtcError('invalid_value', 'a token name is 1–64 letters, digits, ".", "_" or "-"', 'name');
      if (await store.findTokenByName(name)) throw new PrtcError('invalid_value', `a token named "${name}" exists already`, 'name');
      const token = `prtc_${toBase64url(new Uint8Array(randomBytes(32)))}`;
      await store.insertToken({ name, tokenHash: secrets.tokenHash(token), createdAt: clock.now(), revokedAt: null });
      return token;
    },
    async listTokens() {
      return (await store.listTokens()).map((t) => ({ name: t.name, createdAt: t.createdAt, revokedAt: t.revokedAt }));
    },
    async revokeToken(name: string): Promise<boolean> {
      return store.revokeToken(name, clock.now());
    },
    /** Checks a bearer token; throws missing_token / invalid_token. */
    async authenticate(token: string | undefined | null): Promise<void> {
      if (!token) throw new PrtcError('missing_token', 'this needs an authority token: Authorization: Bearer <token>');
      const row = await store.findTokenByHash(secrets.tokenHash(token));
      if (!row) throw new PrtcError('invalid_token', 'the authority token is not valid');
      if (row.revokedAt !== null) throw new PrtcError('invalid_token', 'the authority token has been revoked');
    },
    async issueCode(token: string | undefined | null): Promise<IssueCodeResponse> {
      await authority.authenticate(token);
      const now = clock.now();
      const code = codeFromRandom(new Uint8Array(randomBytes(7)));
      const expiresAt = now + config.codeLifetimeS;
      await store.insertCode({ codeHash: secrets.codeHash(code), createdAt: now, expiresAt, usedAt: null });
      return { code, expiresAt };
    },
  };

  const uploads = {
    async upload(body: unknown, opts: { fake?: boolean } = {}): Promise<UploadResponse> {
      const started = Date.now();
      const now = clock.now();
      const v = validateUpload(body, enin(now));
      const codeHash = secrets.codeHash(normalizeCode(v.code));
      if (!limiter.allowed(codeHash, now)) throw new PrtcError('rate_limited', 'too many wrong codes; wait a minute and try again');
      if (opts.fake) {
        // Plausible deniability: same validation, a comparable read, about the same duration; nothing stored.
        await store.findCode(codeHash);
        const wait = uploadMs * (0.8 + 0.4 * Math.random()) - (Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return { accepted: v.keys.length };
      }
      const result = await store.tx(async (em) => {
        const check = await store.consumeCode(em, codeHash, now);
        if (check !== 'ok') return check;
        await store.insertPending(
          em,
          v.keys.map((k) => ({ aemk: toBase64url(k.aemk), i: k.i, createdAt: now })),
          v.checkins.map((c) => ({ locationIdHash: toHex(c.locationIdHash), startEnin: c.startEnin, endEnin: c.endEnin, createdAt: now })),
        );
        return 'ok' as const;
      });
      if (result !== 'ok') {
        limiter.fail(codeHash, now);
        const msg = { unknown: 'this code is not known; check it and try again', expired: 'this code has expired; ask the health authority for a new one', used: 'this code has already been used' }[result];
        throw new PrtcError(`code_${result}`, msg, 'code');
      }
      uploadMs = 0.9 * uploadMs + 0.1 * (Date.now() - started);
      return { accepted: v.keys.length };
    },
  };

  const publishing = {
    /**
     * Publishes everything pending and out of embargo as new batches (several when there are more
     * than maxBatchKeys). Returns the new batch numbers; empty when nothing was pending.
     */
    async publish(): Promise<number[]> {
      const made: number[] = [];
      for (;;) {
        const n = await publishing.publishOne();
        if (n === null) return made;
        made.push(n);
      }
    },
    async publishOne(): Promise<number | null> {
      const now = clock.now();
      const today = dayInterval(enin(now));
      return store.tx(async (em) => {
        const keys = await store.pendingKeys(em, today, config.maxBatchKeys);
        const warnings = await store.pendingWarnings(em, 10 * config.maxBatchKeys);
        if (keys.length === 0 && warnings.length === 0) return null;
        const last = await store.lastBatch(em);
        const n = (last?.n ?? 0) + 1;
        const prevHash = last ? fromHex(last.hash) : ZERO_HASH;
        const byDay = new Map<number, Uint8Array[]>();
        const counts = new Map<number, number>();
        for (const k of keys) {
          const list = byDay.get(k.i) ?? [];
          list.push(fromBase64url(k.aemk, 32));
          byDay.set(k.i, list);
          counts.set(k.i, (counts.get(k.i) ?? 0) + 1);
        }
        // Pad with random fake keys, spread over the retention window, up to the minimum batch size.
        const oldest = retentionStart(enin(now));
        for (let f = keys.length; f < config.minBatchKeys; f++) {
          const i = oldest + ROLLING_PERIOD * Math.floor(Math.random() * RETENTION_DAYS);
          const list = byDay.get(i) ?? [];
          list.push(new Uint8Array(randomBytes(32)));
          byDay.set(i, list);
        }
        const days: BatchDay[] = [...byDay].map(([i, ks]) => ({ i, keys: ks }));
        const body = encodeBatch({
          n, prevHash, createdAt: now, days,
          warnings: warnings.map((w) => ({ locationIdHash: fromHex(w.locationIdHash), startEnin: w.startEnin, endEnin: w.endEnin })),
        });
        const hash = batchHash(body);
        const signature = secrets.sign(headMessage(n, hash, now));
        const keyCount = days.reduce((s, d) => s + d.keys.length, 0);
        await store.insertBatch(em, {
          n, hash: toHex(hash), prevHash: toHex(prevHash), createdAt: now, signedAt: now, signature: toBase64url(signature),
          keyCount, warningCount: warnings.length, body: Buffer.from(body),
        });
        await store.deletePending(em, keys.map((k) => k.id!), warnings.map((w) => w.id!));
        await store.addDayStats(em, counts);
        return n;
      }).then((n) => {
        if (n !== null) headAt = 0;
        return n;
      });
    },
  };

  // Published batches never change, so the distribution side caches: the head for one second, the
  // serialised list pages until the head changes (or a minute passes, for retention), and the
  // bodies in a bounded in-memory LRU. This is what lets one core serve thousands of phones.
  const HEAD_TTL_MS = 1000;
  const LIST_TTL_MS = 60_000;
  const BODY_CACHE_BYTES = 64 * 1024 * 1024;
  let headAt = 0;
  let head: BatchHeadRow | null = null;
  let listFor: { n: number | null; at: number; pages: Map<number, string> } = { n: -1, at: 0, pages: new Map() };
  const bodies = new Map<number, { body: Buffer; etag: string }>();
  let bodyBytes = 0;

  async function currentHead(): Promise<BatchHeadRow | null> {
    const now = Date.now();
    if (now - headAt >= HEAD_TTL_MS) {
      head = await store.lastBatch();
      headAt = now;
    }
    return head;
  }

  const toHead = (r: { n: number; hash: string; signedAt: number; signature: string }) =>
    headToJson({ n: r.n, hash: fromHex(r.hash), signedAt: r.signedAt, signature: fromBase64url(r.signature, 64) });

  const distribution = {
    /** The list page as JSON text (what the HTTP route sends). */
    async listBatchesJson(afterRaw: unknown): Promise<string> {
      const after = afterRaw === undefined || afterRaw === '' ? 0 : Number(afterRaw);
      if (typeof afterRaw === 'object' || !Number.isInteger(after) || after < 0 || after > 0xffffffff) {
        throw new PrtcError('invalid_query', '"after" must be a whole number ≥ 0', 'after');
      }
      const h = await currentHead();
      const n = h?.n ?? null;
      if (listFor.n !== n || Date.now() - listFor.at > LIST_TTL_MS || listFor.pages.size > 10_000) {
        listFor = { n, at: Date.now(), pages: new Map() };
      }
      let page = listFor.pages.get(after);
      if (page === undefined) {
        const rows = await store.listBatches(after, PAGE_SIZE);
        const res: BatchListResponse = {
          head: h ? toHead(h) : null,
          batches: rows.filter((r) => n === null || r.n <= n).map((r) => ({ ...toHead(r), keys: r.keyCount, warnings: r.warningCount })),
        };
        page = JSON.stringify(res);
        listFor.pages.set(after, page);
      }
      return page;
    },
    async listBatches(afterRaw: unknown): Promise<BatchListResponse> {
      return JSON.parse(await distribution.listBatchesJson(afterRaw)) as BatchListResponse;
    },
    async batchBody(nRaw: string): Promise<{ body: Buffer; etag: string }> {
      if (!/^\d{1,10}$/.test(nRaw) || Number(nRaw) < 1 || Number(nRaw) > 0xffffffff) throw new PrtcError('not_found', 'no such batch');
      const n = Number(nRaw);
      const hit = bodies.get(n);
      if (hit) return hit;
      const b = await store.batchBody(n);
      if (!b) throw new PrtcError('not_found', `batch ${nRaw} does not exist (or is past retention)`);
      const entry = { body: b.body, etag: `"${b.hash}"` };
      bodies.set(n, entry);
      bodyBytes += b.body.length;
      for (const [k, v] of bodies) {
        if (bodyBytes <= BODY_CACHE_BYTES) break;
        bodies.delete(k);
        bodyBytes -= v.body.length;
      }
      return entry;
    },
    /** Forgets cached heads, pages and bodies (after retention deleted batches). */
    invalidate(): void {
      headAt = 0;
      listFor = { n: -1, at: 0, pages: new Map() };
      bodies.clear();
      bodyBytes = 0;
    },
    publicKey(): PublicKeyResponse {
      return { alg: 'Ed25519', key: toBase64url(secrets.publicKey) };
    },
    config(): SignedConfigResponse {
      return { configJson: riskConfigJson, signature: riskConfigSignature };
    },
    async stats(): Promise<StatsResponse> {
      const rows = await store.listDayStats(retentionStart(enin(clock.now())));
      return { days: rows.map((r) => ({ i: r.i, date: dayLabel(r.i), keys: r.keyCount })) };
    },
  };

  const maintenance = {
    /** Deletes codes past expiry and keys, warnings, batches and statistics older than 14 days. */
    async retention(): Promise<Record<string, number>> {
      const now = clock.now();
      const oldestDay = retentionStart(enin(now));
      const deleted = await store.deleteExpired(now, oldestDay, now - (RETENTION_DAYS + 1) * 86400);
      if (deleted.batches) distribution.invalidate();
      return deleted;
    },
    async ready(): Promise<void> {
      await store.ping();
    },
  };

  return { authority, uploads, publishing, distribution, maintenance, clock };
}

export type Services = ReturnType<typeof createServices>;
