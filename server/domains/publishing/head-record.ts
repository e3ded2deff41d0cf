/**
 * The chain never forks: a record of the newest head this server signed or saw, kept beside the
 * signing key (DATA_DIR/head.json), outside the database. A database that lost published batches —
 * restored from an old backup, its file deleted under the server — no longer reaches that head;
 * publishing then would sign a second batch with an old number, a chain every phone rejects forever.
 * So the server refuses to start and to publish until an operator restores the batches
 * (`admin import-batches`, from `admin export-batches`) or, knowingly, removes the record.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HeadRecord {
  n: number;
  hash: string;
  signedAt: number;
}

/** What the database holds where the record points: its newest batch, and the hash of batch `record.n`. */
export interface ChainView {
  last: { n: number; hash: string } | null;
  hashOf(n: number): Promise<string | null>;
}

export class ChainBroken extends Error {
  override name = 'ChainBroken';
}

export class HeadRecordFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'head.json');
  }

  read(): HeadRecord | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return null;
    }
    const r = JSON.parse(text) as HeadRecord;
    if (!Number.isInteger(r.n) || typeof r.hash !== 'string' || !Number.isInteger(r.signedAt))
      throw new ChainBroken(`${this.path} is damaged`);
    return r;
  }

  /** Writes the record if it moves forward (never back), durably: a temporary file, fsync, rename, fsync of the folder. */
  advance(head: HeadRecord): void {
    const now = this.read();
    if (now && (now.n > head.n || (now.n === head.n && now.signedAt >= head.signedAt))) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // per process: instances that share DATA_DIR never write the same temporary file
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(head) + '\n', { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  }

  /** Throws ChainBroken when the database does not hold the head the record names. */
  async check(db: ChainView): Promise<void> {
    const r = this.read();
    if (!r) return;
    const fix = `Restore the published batches (npm run admin -- import-batches DIR, from a copy made with export-batches), or, to start a new chain on purpose, remove ${this.path}.`;
    if (!db.last || db.last.n < r.n) {
      throw new ChainBroken(
        `the database lost published batches: it ends at ${db.last ? `batch ${db.last.n}` : 'no batch'}, but batch ${r.n} was published. Publishing now would fork the chain that phones verify. ${fix}`,
      );
    }
    const hash = await db.hashOf(r.n);
    if (hash !== r.hash) {
      throw new ChainBroken(`batch ${r.n} in the database is not the batch ${r.n} that was published (another database?). ${fix}`);
    }
  }
}
