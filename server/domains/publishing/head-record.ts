/**
 * The chain never forks: a record of the newest head this server signed or saw, kept beside the
 * signing key (DATA_DIR/head.json), outside the database. A database that lost published batches —
 * restored from an old backup, its file deleted under the server — no longer reaches that head;
 * publishing then would sign a second batch with an old number, a chain every phone rejects forever.
 * So the server refuses to start and to publish until an operator restores the batches
 * (`admin import-batches`, from `admin export-batches`) or, knowingly, removes the record.
 *
 * The regions' chains (§15) are held the same way: `regions` names each chain's newest batch
 * published or seen, by region code. A file written before regions existed has none, and a server
 * publishing only regions (NATIONAL_CHAIN=0 from the start) has no national fields.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface HeadRecord {
  n: number;
  hash: string;
  signedAt: number;
}

/** A regional chain's newest head (regional heads are not signed again, so no signedAt). */
export interface RegionHeadRecord {
  region: number;
  n: number;
  hash: string;
}

/** The whole file: the national chain's head (absent before its first batch) and the regions'. */
interface RecordFile {
  national: HeadRecord | null;
  regions: Map<number, { n: number; hash: string }>;
}

/** What the database holds of the regions' chains: each one's newest head, and a batch's hash. */
export interface RegionChainView {
  newest: readonly RegionHeadRecord[];
  hashOf(region: number, n: number): Promise<string | null>;
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

  /** The national chain's recorded head, or null. */
  read(): HeadRecord | null {
    return this.readFile().national;
  }

  private readFile(): RecordFile {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return { national: null, regions: new Map() };
    }
    const damaged = () => new ChainBroken(`${this.path} is damaged`);
    let r: { n?: unknown; hash?: unknown; signedAt?: unknown; regions?: unknown };
    try {
      r = JSON.parse(text) as typeof r;
    } catch {
      throw damaged();
    }
    if (typeof r !== 'object' || r === null) throw damaged();
    let national: HeadRecord | null = null;
    if (r.n !== undefined) {
      if (!Number.isInteger(r.n) || typeof r.hash !== 'string' || !Number.isInteger(r.signedAt)) throw damaged();
      national = { n: r.n as number, hash: r.hash, signedAt: r.signedAt as number };
    }
    const regions = new Map<number, { n: number; hash: string }>();
    if (r.regions !== undefined) {
      if (typeof r.regions !== 'object' || r.regions === null || Array.isArray(r.regions)) throw damaged();
      for (const [code, v] of Object.entries(r.regions as Record<string, unknown>)) {
        const h = v as { n?: unknown; hash?: unknown };
        if (!/^[1-9]\d*$/.test(code) || typeof h !== 'object' || h === null || !Number.isInteger(h.n) || typeof h.hash !== 'string')
          throw damaged();
        regions.set(Number(code), { n: h.n as number, hash: h.hash });
      }
    }
    return { national, regions };
  }

  /** Writes the national head if it moves forward (never back). */
  advance(head: HeadRecord): void {
    const file = this.readFile();
    const now = file.national;
    if (now && (now.n > head.n || (now.n === head.n && now.signedAt >= head.signedAt))) return;
    this.write({ ...file, national: head });
  }

  /** Writes the regions' heads that move forward (never back). */
  advanceRegions(heads: readonly RegionHeadRecord[]): void {
    const file = this.readFile();
    let moved = false;
    for (const h of heads) {
      const now = file.regions.get(h.region);
      if (now && now.n >= h.n) continue;
      file.regions.set(h.region, { n: h.n, hash: h.hash });
      moved = true;
    }
    if (moved) this.write(file);
  }

  /** Durably: a temporary file, fsync, rename, fsync of the folder. */
  private write(file: RecordFile): void {
    const out: Record<string, unknown> = file.national ? { ...file.national } : {};
    if (file.regions.size)
      out.regions = Object.fromEntries([...file.regions].sort((a, b) => a[0] - b[0]).map(([code, h]) => [String(code), h]));
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    // per process: instances that share DATA_DIR never write the same temporary file
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(out) + '\n', { mode: 0o600 });
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    fsyncSync(dir);
    closeSync(dir);
  }

  /** Throws ChainBroken when the database does not hold a head the record names (national or a region's). */
  async check(db: ChainView, regions?: RegionChainView): Promise<void> {
    const file = this.readFile();
    const fix = `Restore the published batches (npm run admin -- import-batches DIR, from a copy made with export-batches), or, to start a new chain on purpose, remove ${this.path}.`;
    const r = file.national;
    if (r) {
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
    if (!regions) return;
    const newest = new Map(regions.newest.map((h) => [h.region, h]));
    for (const [region, rec] of file.regions) {
      const top = newest.get(region);
      if (!top || top.n < rec.n)
        throw new ChainBroken(
          `the database lost published batches of region ${region}: its chain ends at ${top ? `batch ${top.n}` : 'no batch'}, but batch ${rec.n} was published. Publishing now would fork the chain that phones of that region verify. ${fix}`,
        );
      const hash = top.n === rec.n ? top.hash : await regions.hashOf(region, rec.n);
      if (hash !== rec.hash)
        throw new ChainBroken(
          `region ${region}: batch ${rec.n} in the database is not the batch ${rec.n} that was published (another database?). ${fix}`,
        );
    }
  }
}
