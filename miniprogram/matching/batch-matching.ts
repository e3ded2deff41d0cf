/**
 * Where a sync verifies and matches its batches: on the page thread (hosts without a worker, tests
 * of the services) or in the host's worker (worker-core.ts, built from miniprogram/worker), which keeps the page free to answer
 * taps while a million keys are matched. Either way the sync gets the same answer, and a batch that
 * does not verify is a PrtcError with the protocol's code.
 */
import { headToJson } from '../../shared/api/heads';
import { verifyBody, type Checkpoint, type VenueWarning } from '../../shared/protocol/batch';
import { toBase64url } from '../../shared/protocol/codec';
import { isErrorCode, PrtcError } from '../../shared/errors';
import type { BluetoothExposure } from '../../shared/risk/status';
import { HostError } from '../host/errors';
import type { Host, HostWorker } from '../host/types';
import { WORKER_SCRIPT, warningFromWire, type FromWorker, type ToWorker } from './messages';
import { MatchIndex, matchBatch, type MatchStats, type RecordedDays } from './matcher';
import type { EngineName } from './engines';

export interface BatchResult {
  bluetooth: BluetoothExposure[];
  warnings: VenueWarning[];
}

export interface BatchMatching {
  /** Which engine derived the rpis of the last batch (null before the first). */
  readonly engine: EngineName | null;
  readonly where: 'worker' | 'page';
  /** A sync starts: matching uses the log as it is now. */
  begin(log: RecordedDays): Promise<void>;
  /**
   * Checks `body` against `head` (following `link`, null for none) and matches it. The caller has
   * verified the head's signature (the sync does, before it downloads the body).
   */
  match(
    body: Uint8Array,
    head: Checkpoint,
    link: Checkpoint | null,
    txPower: number,
    stats: MatchStats,
    region?: number,
  ): Promise<BatchResult>;
}

/** On the page thread, with the JavaScript engine. */
export function inlineMatching(): BatchMatching {
  let index: MatchIndex | null = null;
  let engine: EngineName | null = null;
  return {
    get engine() {
      return engine;
    },
    where: 'page',
    async begin(log) {
      index = MatchIndex.of(log);
    },
    async match(body, head, link, txPower, stats, region = 0) {
      const batch = verifyBody(body, head, link, region);
      engine = 'js';
      return { bluetooth: matchBatch(batch, index ?? new MatchIndex([]), txPower, stats), warnings: batch.warnings };
    },
  };
}

class Interrupted extends Error {}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/**
 * In the host's worker. The worker starts with the first sync and stays; when the system stops it
 * (WeChat: an experimental worker "may be reclaimed when resources are tight", onProcessKilled), the
 * batch in progress is sent again to a new one — matching resumes at that batch, as the sync's
 * checkpoint already makes it do across launches.
 */
export function workerMatching(host: Host): BatchMatching {
  let w: HostWorker | null = null;
  let days: string[] = [];
  let begun = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (m: FromWorker) => void; reject: (e: unknown) => void }>();
  let engine: EngineName | null = null;

  const worker = (): HostWorker => {
    if (w) return w;
    if (!host.worker) throw new HostError('unsupported', 'this host has no worker');
    const started = host.worker.start(WORKER_SCRIPT);
    started.onMessage((m) => {
      const r = m as FromWorker;
      const p = pending.get(r.id);
      if (!p) return;
      pending.delete(r.id);
      p.resolve(r);
    });
    started.onKilled(() => {
      if (w === started) w = null;
      begun = false;
      for (const p of pending.values()) p.reject(new Interrupted('the worker was stopped'));
      pending.clear();
    });
    w = started;
    return started;
  };

  const call = (msg: WithoutId<ToWorker>): Promise<FromWorker & { ok: true }> => {
    const id = nextId++;
    const target = worker();
    return new Promise<FromWorker>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.post({ ...msg, id } as ToWorker);
    }).then((r) => {
      if (r.ok) {
        engine = r.engine;
        return r;
      }
      throw isErrorCode(r.code) ? new PrtcError(r.code, r.message) : new Error(`matching worker: ${r.message}`);
    });
  };

  return {
    get engine() {
      return engine;
    },
    where: 'worker',
    async begin(log) {
      days = log.storedDays().map((d) => toBase64url(log.dayBytes(d)));
      begun = false;
    },
    async match(body, head, link, txPower, stats, region = 0) {
      for (let attempt = 0; ; attempt++) {
        try {
          if (!begun) {
            await call({ op: 'begin', days });
            begun = true;
          }
          const r = await call({
            op: 'batch',
            body: toBase64url(body),
            head: headToJson(head),
            link: link && headToJson(link),
            txPower,
            region,
          });
          if (r.stats) for (const k of Object.keys(stats) as (keyof MatchStats)[]) stats[k] += r.stats[k];
          return {
            bluetooth: r.bluetooth ?? [],
            warnings: (r.warnings ?? []).map(warningFromWire),
          };
        } catch (e) {
          if (!(e instanceof Interrupted)) throw e;
          if (attempt >= 1) throw new HostError('unknown', 'the matching worker was stopped twice in one batch');
        }
      }
    },
  };
}
