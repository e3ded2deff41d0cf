/**
 * What a copy of the database could tell about who uploaded what. The tables are read with the
 * drivers directly (better-sqlite3 / mysql2), not through the server's repositories, and searched
 * for anything that ties a code (whose holder the health authority knows) to keys: a stored time
 * equal or close to an upload's moment, or rows kept in order of arrival. Files are private (0600).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { DB_KINDS } from '../helpers/db';
import { call, issueCode, newToken, randomKey, startTestServer, type TestServer } from '../helpers/server';
import { ROLLING_PERIOD } from '../../shared/protocol/time';

const TABLES = [
  'authority_token',
  'upload_code',
  'pending_key',
  'pending_warning',
  'batch',
  'day_stat',
  'health',
  'wrong_code',
  // §15: the regions' pending rows, chains, root and release slot
  'pending_region_key',
  'pending_region_warning',
  'region_batch',
  'root_head',
  'region_release',
];

/** Every row of every table, in the order the database keeps them (no ORDER BY). */
async function dump(s: TestServer): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  if (s.db.kind === 'sqlite') {
    const Database = require('better-sqlite3');
    const db = new Database(s.db.url.slice('sqlite:'.length), { readonly: true });
    for (const t of TABLES) out[t] = db.prepare(`SELECT * FROM ${t}`).all();
    db.close();
  } else {
    const mysql = await import('mysql2/promise');
    const c = await mysql.createConnection({ uri: s.db.url });
    for (const t of TABLES) out[t] = (await c.query(`SELECT * FROM \`${t}\``))[0] as Record<string, unknown>[];
    await c.end();
  }
  return out;
}

/** A stored integer read as a moment in seconds: Unix seconds, or a §2 interval number (×600). */
function asMoment(v: unknown): number | null {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) return null;
  if (n > 1.5e9 && n < 2.5e9) return n;
  if (n > 2.5e6 && n < 4.2e6) return n * 600;
  return null;
}

describe.each(DB_KINDS)('on %s', (kind) => {
  let s: TestServer;
  afterAll(() => s?.stop());

  test('no stored time is near an upload, and pending rows are not kept in order of arrival', async () => {
    s = await startTestServer(kind);
    const token = await newToken(s);
    // 8 codes issued 3 minutes apart, used in the same order about 3 minutes apart (the order that
    // would let "n-th key stored" mean "n-th code issued")
    const codes: string[] = [];
    for (let k = 0; k < 8; k++) {
      codes.push(await issueCode(s, token));
      s.clock.advance(3 * 60);
    }
    const uploads: { at: number; aemk: string }[] = [];
    // a published run first, so the regions' chains, the root and the release slot exist to be searched
    await s.services.publishing.publishAll();
    for (const [k, code] of codes.entries()) {
      s.clock.advance(3 * 60 + 17);
      const aemk = randomKey();
      const r = await call(s.url, 'POST', '/v1/diagnosis-keys', {
        code,
        keys: [{ aemk, i: s.clock.today - ROLLING_PERIOD }],
        checkins: [{ locationIdHash: randomKey(), startEnin: s.clock.today - 100, endEnin: s.clock.today - 94 }],
        // §15: half name regions (the same two, in turn), half none (region 1)
        ...(k % 2 ? { regions: k % 4 === 1 ? [310000, 320500] : [320500, 310000] } : {}),
      });
      expect(r.status).toBe(201);
      uploads.push({ at: s.clock.now(), aemk });
    }

    const tables = await dump(s);
    expect(tables.pending_key).toHaveLength(8);
    // 1. no value anywhere within 2 minutes of an upload's moment (whole days are coarse enough: many uploads share one)
    const near: string[] = [];
    for (const [table, rows] of Object.entries(tables))
      for (const row of rows)
        for (const [column, value] of Object.entries(row)) {
          const t = asMoment(value);
          if (t === null || t % 86400 === 0) continue;
          for (const u of uploads) if (Math.abs(t - u.at) <= 120) near.push(`${table}.${column}=${String(value)} (upload at ${u.at})`);
        }
    expect(near).toEqual([]);
    // 2. the codes say whether and on which day they were used, nothing finer (voidedAt is only ever
    // set on a code that was never used: it cannot date an upload)
    for (const c of tables.upload_code)
      expect(Object.keys(c).filter((k) => /at$/i.test(k) && !/^(createdAt|expiresAt|voidedAt)$/.test(k))).toEqual([]);
    for (const c of tables.upload_code) if (c.voidedAt !== null) expect(Number(c.used)).toBe(0);
    // 3. pending keys come back in an order that has nothing to do with arrival (8! orders)
    const stored = tables.pending_key.map((r) => r.aemk as string);
    expect(stored).not.toEqual(uploads.map((u) => u.aemk));
    expect(new Set(stored)).toEqual(new Set(uploads.map((u) => u.aemk)));
    expect(tables.pending_key.map((r) => r.id)).toEqual(tables.pending_key.map((r) => r.id as string).sort());
    // §15: one row per (key, region) — 4 uploads × 2 regions, 4 × region 1 — in the order of their random ids,
    // with nothing that says which rows came together beyond the key itself
    expect(tables.pending_region_key).toHaveLength(12);
    expect(tables.pending_region_key.map((r) => r.id)).toEqual(tables.pending_region_key.map((r) => r.id as string).sort());
    expect(Object.keys(tables.pending_region_key[0]).sort()).toEqual(['aemk', 'counts', 'i', 'id', 'region']);
    expect(tables.pending_region_warning.map((r) => r.id)).toEqual(tables.pending_region_warning.map((r) => r.id as string).sort());
    if (kind === 'sqlite') {
      // no rowid numbering the rows as they came

      const Database = require('better-sqlite3');
      const db = new Database(s.db.url.slice('sqlite:'.length), { readonly: true });
      expect(() => db.prepare('SELECT rowid FROM pending_key').all()).toThrow(/no such column: rowid/);
      expect(() => db.prepare('SELECT rowid FROM pending_warning').all()).toThrow(/no such column: rowid/);
      expect(() => db.prepare('SELECT rowid FROM pending_region_key').all()).toThrow(/no such column: rowid/);
      expect(() => db.prepare('SELECT rowid FROM pending_region_warning').all()).toThrow(/no such column: rowid/);
      db.close();
    }
  });

  (kind === 'sqlite' ? test : test.skip)('the database file and every secret beside it are private (0600)', () => {
    const file = s.db.url.slice('sqlite:'.length);
    const files = [file, join(s.db.dataDir, 'signing.key'), join(s.db.dataDir, 'code-pepper.key')];
    for (const f of files) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600]);
  });
});
