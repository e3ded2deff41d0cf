/**
 * The embedded database under real storage faults, with the server as `npm start` runs it (a real
 * process on real HTTP), clients uploading as phones do, and the result read back with
 * better-sqlite3 and checked with Node's crypto — never with the server's own code:
 *
 * - a small tmpfs filled up while uploads arrive;
 * - the data folder made immutable with `chattr +i` (no journal can be created);
 * - the SQLite file deleted under the running server, then restored from an export.
 *
 * For each: what clients saw, and after recovery or restart, every acknowledged upload present and
 * the chain intact. Mounting needs root: without it these tests are skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  adminAsync,
  issueCodes,
  keysInBody,
  newTokenCli,
  pool,
  publicKeyOf,
  refusedStart,
  sleep,
  spawnServer,
  sqliteContents,
  until,
  upload,
  uploadBody,
  verifyChain,
  type Sent,
} from '../helpers/server-process';

function tryMount(sizeMb: number): { dir: string; why?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'prtc-fault-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
    return { dir };
  } catch (e) {
    return { dir, why: String((e as { stderr?: Buffer }).stderr ?? e).trim() };
  }
}

const mount = tryMount(8);
const canChattr = (() => {
  if (mount.why) return false;
  const probe = join(mount.dir, 'probe');
  try {
    closeSync(openSync(probe, 'w'));
    execFileSync('chattr', ['+i', probe], { stdio: 'pipe' });
    execFileSync('chattr', ['-i', probe], { stdio: 'pipe' });
    unlinkSync(probe);
    return true;
  } catch {
    return false;
  }
})();
if (mount.why) process.stderr.write(`faults.test: skipped — cannot mount a tmpfs here (${mount.why}); run as root\n`);
else if (!canChattr) process.stderr.write('faults.test: chattr +i is not allowed here; the read-only test is skipped\n');
const withMount = mount.why ? test.skip : test;

afterAll(() => {
  if (!mount.why) {
    try {
      execFileSync('chattr', ['-R', '-i', mount.dir], { stdio: 'pipe' });
    } catch {
      // nothing was immutable
    }
    execFileSync('umount', [mount.dir]);
  }
  rmSync(mount.dir, { recursive: true, force: true });
});

let seq = 0;
/**
 * A fresh data folder on the small disk; readiness asks for 1 MiB free (READY_MIN_FREE_MB; the
 * default 16 MiB is twice this whole disk).
 */
function freshDataDir() {
  const dir = join(mount.dir, `run-${++seq}`);
  mkdirSync(dir, { mode: 0o700 });
  return { DATA_DIR: dir, DATABASE_URL: '', READY_MIN_FREE_MB: '1' };
}

/** Frees what `fillDisk` took, so a failed test does not leave the next one a full disk. */
function unfill(file: string) {
  if (file && existsSync(file)) unlinkSync(file);
}

/** Fills the disk until the kernel says ENOSPC; returns the filler's path. */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return file;
}

/** Every key of an acknowledged upload is in the database file (published or pending), and the chain verifies. */
function expectAllAcknowledgedStored(dbFile: string, acknowledged: Sent[], publicKey: string) {
  const { batches, pending } = sqliteContents(dbFile);
  verifyChain(
    batches.map((b) => ({ ...b, body: Buffer.from(b.body) })),
    publicKey,
  );
  const stored = new Set([...pending, ...batches.flatMap((b) => keysInBody(Buffer.from(b.body)))]);
  const missing = acknowledged.filter((s) => !stored.has(s.body.keys[0].aemk));
  expect(missing.length).toBe(0);
  return { batches: batches.length, stored: stored.size };
}

const statusesOf = (sent: Sent[]) => {
  const out: Record<string, number> = {};
  for (const s of sent) out[`${s.status}${s.code ? ' ' + s.code : ''}`] = (out[`${s.status}${s.code ? ' ' + s.code : ''}`] ?? 0) + 1;
  return out;
};

withMount(
  'full disk during uploads: 503 storage_unavailable, nothing published, recovers without a restart; every 201 survives SIGTERM and restart',
  async () => {
    const env = { ...freshDataDir(), BATCH_INTERVAL_S: '1', HEAD_RESIGN_S: '3600' };
    const dbFile = join(env.DATA_DIR, 'prtc.sqlite');
    const token = newTokenCli(env);
    const server = await spawnServer(env);
    let filler = '';
    try {
      const publicKey = await publicKeyOf(server.url);
      const codes = await issueCodes(server.url, token, 90);
      const bodies = codes.map((c) => uploadBody(c));

      // 0. some uploads, published as batch 1
      const wave0 = await pool(bodies.slice(0, 10), 4, (b) => upload(server.url, b));
      expect(statusesOf(wave0)).toEqual({ '201': 10 });
      await until(async () => ((await (await fetch(`${server.url}/v1/batches`)).json()) as { head: unknown }).head !== null, 'batch 1');

      // 1. uploads arrive; after the 10th answer the disk fills up under them
      let answered = 0;
      const first = await pool(bodies.slice(10, 40), 4, async (b) => {
        const r = await upload(server.url, b);
        if (++answered === 10) filler = fillDisk(env.DATA_DIR);
        return r;
      });
      expect(filler).not.toBe('');
      const firstCounts = statusesOf(first);
      expect(Object.keys(firstCounts).sort()).toEqual(['201', '503 storage_unavailable']);

      // 2. while the disk is full: every upload refused with 503 + Retry-After, not ready, nothing published
      const duringFull = await pool(bodies.slice(40, 50), 2, (b) => upload(server.url, b));
      expect(statusesOf(duringFull)).toEqual({ '503 storage_unavailable': 10 });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
      const retryAfter = await fetch(`${server.url}/v1/diagnosis-keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(uploadBody(codes[50])),
      });
      expect([retryAfter.status, retryAfter.headers.get('retry-after')]).toEqual([503, '30']);
      const headBefore = ((await (await fetch(`${server.url}/v1/batches`)).json()) as { head: { n: number } | null }).head;
      await sleep(2500); // two publish ticks
      const headDuring = ((await (await fetch(`${server.url}/v1/batches`)).json()) as { head: { n: number } | null }).head;
      expect(headDuring).toEqual(headBefore);
      expect(server.output()).toMatch(/publish failed: .*(disk|storage|full|stor)/i);

      // 3. the operator frees space: the same process recovers by itself
      unlinkSync(filler);
      await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, 'readiness after freeing the disk');

      // 4. the refused uploads are retried with their own uploadId: all accepted, none "code_used"
      const refused = [...first, ...duringFull].filter((s) => s.status !== 201);
      const retried = await pool(
        refused.map((s) => s.body),
        4,
        (b) => upload(server.url, b),
      );
      expect(statusesOf(retried)).toEqual({ '201': refused.length });
      const last = await pool(bodies.slice(51), 4, (b) => upload(server.url, b));
      expect(statusesOf(last)).toEqual({ '201': last.length });
      await sleep(1500); // a publish tick after the fault

      // 5. SIGTERM, then the file read independently: every acknowledged upload is there, chain intact
      expect(await server.stop()).toBe(0);
      const acknowledged = [...wave0, ...first, ...duringFull, ...retried, ...last].filter((s) => s.status === 201);
      expect(acknowledged.length).toBe(89); // 90 codes; the one of the Retry-After probe was refused and not retried
      const seen = expectAllAcknowledgedStored(dbFile, acknowledged, publicKey);
      expect(seen.batches).toBeGreaterThanOrEqual(2);
      // private files; a rollback journal (file format bytes 18-19 are 1, WAL makes them 2): no
      // memory-mapped -shm index whose failed write is a SIGBUS
      for (const f of [dbFile, join(env.DATA_DIR, 'head.json')]) expect([f, statSync(f).mode & 0o777]).toEqual([f, 0o600]);
      expect([...readFileSync(dbFile).subarray(18, 20)]).toEqual([1, 1]);
      expect(existsSync(`${dbFile}-shm`) || existsSync(`${dbFile}-wal`)).toBe(false);
      process.stderr.write(
        `faults.test full disk: first wave ${JSON.stringify(firstCounts)}, while full ${JSON.stringify(statusesOf(duringFull))}, ` +
          `after retry ${JSON.stringify(statusesOf(retried))}; stored ${seen.stored} keys in ${seen.batches} batches\n`,
      );

      // 6. a restart serves the same chain
      const again = await spawnServer(env);
      try {
        const list = (await (await fetch(`${again.url}/v1/batches`)).json()) as { batches: unknown[] };
        expect(list.batches.length).toBe(seen.batches);
      } finally {
        await again.stop();
      }
    } catch (e) {
      process.stderr.write(`server output:\n${server.output()}\n`);
      throw e;
    } finally {
      unfill(filler);
      if (server.proc.exitCode === null) await server.stop('SIGKILL');
    }
  },
  60000,
);

withMount(
  'a nearly full disk (a few KB free, room for the readiness probe but not for work): not ready until space is freed',
  async () => {
    const env = freshDataDir();
    const server = await spawnServer(env);
    let filler = '';
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      // what a transaction's rollback journal gives back when it ends on a full disk: 32 KiB
      const reserve = join(env.DATA_DIR, 'reserve');
      writeFileSync(reserve, Buffer.alloc(32 * 1024, 1));
      filler = fillDisk(env.DATA_DIR);
      unlinkSync(reserve);
      const ready = await fetch(`${server.url}/readyz`);
      const body = (await ready.json()) as { error?: { code: string } };
      expect([ready.status, body.error?.code]).toEqual([503, 'storage_unavailable']);
      unfill(filler);
      await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, 'readiness after freeing the disk');
    } catch (e) {
      process.stderr.write(`server output:\n${server.output()}\n`);
      throw e;
    } finally {
      unfill(filler);
      if (server.proc.exitCode === null) await server.stop('SIGKILL');
    }
  },
  60000,
);

(canChattr ? test : test.skip)(
  'data folder and database file made immutable (chattr +i): 503, not ready, no crash; writable again → recovers by itself',
  async () => {
    const env = freshDataDir();
    const dbFile = join(env.DATA_DIR, 'prtc.sqlite');
    const token = newTokenCli(env);
    const server = await spawnServer(env);
    try {
      const publicKey = await publicKeyOf(server.url);
      const codes = await issueCodes(server.url, token, 30);
      const before = await pool(codes.slice(0, 10), 2, (c) => upload(server.url, uploadBody(c)));
      expect(statusesOf(before)).toEqual({ '201': 10 });
      // no rollback journal can be created in the folder, and the file itself cannot change
      execFileSync('chattr', ['+i', dbFile]);
      execFileSync('chattr', ['+i', env.DATA_DIR]);
      const during = await pool(codes.slice(10, 20), 2, (c) => upload(server.url, uploadBody(c)));
      const code = await fetch(`${server.url}/v1/authority/codes`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const ready = await fetch(`${server.url}/readyz`);
      const publish = await adminAsync(env, 'publish');
      execFileSync('chattr', ['-i', env.DATA_DIR]);
      execFileSync('chattr', ['-i', dbFile]);
      expect(statusesOf(during)).toEqual({ '503 storage_unavailable': 10 });
      expect([code.status, ready.status]).toEqual([503, 503]);
      expect(publish.code).not.toBe(0); // the admin CLI cannot publish onto an unwritable disk either
      expect(server.proc.exitCode).toBeNull(); // alive

      await until(async () => (await fetch(`${server.url}/readyz`)).status === 200, 'readiness once writable');
      const retried = await pool(
        during.map((s) => s.body),
        2,
        (b) => upload(server.url, b),
      );
      expect(statusesOf(retried)).toEqual({ '201': 10 });
      expect((await adminAsync(env, 'publish')).code).toBe(0);
      expect(await server.stop()).toBe(0);
      expectAllAcknowledgedStored(dbFile, [...before, ...retried], publicKey);
      process.stderr.write(
        `faults.test chattr +i: while immutable ${JSON.stringify(statusesOf(during))}, after ${JSON.stringify(statusesOf(retried))}\n`,
      );
    } catch (e) {
      process.stderr.write(`server output:\n${server.output()}\n`);
      throw e;
    } finally {
      for (const f of [env.DATA_DIR, dbFile]) execFileSync('chattr', ['-i', f]);
      if (server.proc.exitCode === null) await server.stop('SIGKILL');
    }
  },
  60000,
);

withMount(
  'the database file deleted under the server: 503 and exit 70 with a log line; restart refused until every batch is restored',
  async () => {
    const env = freshDataDir();
    const dbFile = join(env.DATA_DIR, 'prtc.sqlite');
    // the copies live off the 8 MB tmpfs, as an operator's would (another disk): with every region's
    // chain (§15) a copy is a few MB
    const copies = mkdtempSync(join(tmpdir(), 'prtc-fault-copies-'));
    const oldBackup = join(copies, 'backup-old');
    const backup = join(copies, 'backup');
    const token = newTokenCli(env);
    const server = await spawnServer(env);
    const publicKey = await publicKeyOf(server.url);
    const acknowledged: Sent[] = [];
    try {
      const codes = await issueCodes(server.url, token, 7);
      for (const c of codes.slice(0, 4)) acknowledged.push(await upload(server.url, uploadBody(c)));
      expect((await adminAsync(env, 'publish')).stdout).toBe('1\n');
      expect((await adminAsync(env, 'export-batches', oldBackup)).stdout).toMatch(/^exported 1 batch/);
      for (const c of codes.slice(4, 6)) acknowledged.push(await upload(server.url, uploadBody(c)));
      expect(statusesOf(acknowledged)).toEqual({ '201': 6 });
      expect((await adminAsync(env, 'publish')).stdout).toBe('2\n');
      expect((await adminAsync(env, 'export-batches', backup)).stdout).toMatch(/^exported 2 batch/);

      // the file is deleted (an operator's mistake, a cleanup job): nothing more is acknowledged
      unlinkSync(dbFile);
      const after = await upload(server.url, uploadBody(codes[6]));
      expect([after.status, after.code]).toEqual([503, 'storage_unavailable']);
      expect(await Promise.race([server.exited, sleep(10000).then(() => 'still running')])).toBe(70);
      expect(server.output()).toMatch(/fatal: the database file .*prtc\.sqlite was deleted or replaced.*supervisor restarts it/);
    } catch (e) {
      process.stderr.write(`server output:\n${server.output()}\n`);
      throw e;
    } finally {
      if (server.proc.exitCode === null) await server.stop('SIGKILL');
    }

    // a restart on the new, empty file would sign a second batch 1 with the same key: refused
    const refused = await refusedStart(env);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/lost published batches.*batch 2 was published.*import-batches/s);
    expect((await adminAsync(env, 'publish')).code).not.toBe(0); // the admin CLI will not fork it either

    // an old backup is not enough (it lacks batch 2) …
    expect((await adminAsync(env, 'import-batches', oldBackup)).stdout).toMatch(/verified 1 batch\(es\): 1 stored/);
    expect((await refusedStart(env)).output).toMatch(/lost published batches/);
    // … a tampered copy is refused and changes nothing …
    const tampered = join(copies, 'tampered');
    mkdirSync(tampered);
    const body = readFileSync(join(backup, '2.bin'));
    body[body.length - 1] ^= 1;
    writeFileSync(join(tampered, '2.bin'), body);
    writeFileSync(join(tampered, 'heads.json'), readFileSync(join(backup, 'heads.json')));
    writeFileSync(join(tampered, '1.bin'), readFileSync(join(backup, '1.bin')));
    const bad = await adminAsync(env, 'import-batches', tampered);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/batch 2/);
    expect(sqliteContents(dbFile).batches.map((b) => b.n)).toEqual([1]);
    // … the current backup restores the chain, and the next batch links to it
    expect((await adminAsync(env, 'import-batches', backup)).stdout).toMatch(/verified 2 batch\(es\): 1 stored, 1 already there/);
    const again = await spawnServer(env);
    try {
      const token2 = newTokenCli(env);
      const [code] = await issueCodes(again.url, token2, 1);
      const late = await upload(again.url, uploadBody(code));
      expect(late.status).toBe(201);
      expect((await adminAsync(env, 'publish')).stdout).toBe('3\n');
      expect(await again.stop()).toBe(0);
      const seen = expectAllAcknowledgedStored(dbFile, [...acknowledged, late], publicKey);
      expect(seen.batches).toBe(3);
    } finally {
      if (again.proc.exitCode === null) await again.stop('SIGKILL');
      rmSync(copies, { recursive: true, force: true });
    }
  },
  60000,
);
