/**
 * Diagnosis-key uploads (§10): validate, use the code up and store the keys and check-ins in one
 * transaction — or, for a fake upload, do the same work without storing and take as long.
 *
 * No limit can lock out the holder of a valid code: every code is checked, so others' wrong codes
 * never make a valid one fail. Brute force is kept hopeless by the arithmetic of docs/protocol.md
 * (§10, "Guessing codes"): a 50-bit code space, at most MAX_LIVE_CODES live codes (authority), and
 * the server's top request rate. Wrong codes are counted per minute for the operators' alarm.
 */
import { normalizeCode } from '../../../shared/api/code';
import type { UploadResponse } from '../../../shared/api/types';
import { validateUpload } from '../../../shared/api/upload';
import { toBase64url, toHex } from '../../../shared/protocol/codec';
import { enin, retentionStart } from '../../../shared/protocol/time';
import { PrtcError } from '../../../shared/errors';
import type { Clock } from '../../clock';
import type { Secrets } from '../../secrets';
import type { AuthorityRepository } from '../authority/repository';
import { randomBytes } from 'node:crypto';
import { FakeDelay } from './fake-delay';
import type { UploadsRepository } from './repository';
import { BUILD_REGIONS, UNKNOWN_REGION, type RegionList } from '../../../shared/regions';

/** Slots of the shared table of upload durations. */
const TIMING_SLOTS = 256;

const CODE_MESSAGES = {
  unknown: 'this code is not known; check it and try again',
  expired: 'this code has expired; ask the health authority for a new one',
  used: 'this code has already been used',
  voided: 'this code was withdrawn by the health authority; ask for a new one',
} as const;

export function createUploadsService(deps: {
  repo: UploadsRepository;
  /** Read by fake uploads, as a real upload reads the code. */
  codes: Pick<AuthorityRepository, 'findCode'>;
  secrets: Secrets;
  clock: Clock;
  /** Told of every wrong code (the alarm). */
  onWrongCode?: () => void;
  /** §15: the regions uploads may name (the list the server serves). */
  regions?: RegionList;
  /** §15: every key goes to the national chain too (NATIONAL_CHAIN). */
  nationalChain?: boolean;
}) {
  const { repo, secrets, clock } = deps;
  const fakeDelay = new FakeDelay();
  /** Durations of this instance's real uploads not yet shared (ms). */
  const toShare: number[] = [];
  let shared = false;
  const service = {
    async upload(body: unknown, opts: { fake?: boolean } = {}): Promise<UploadResponse> {
      const started = performance.now();
      const now = clock.now();
      const v = validateUpload(body, enin(now), deps.regions ?? BUILD_REGIONS);
      const codeHash = secrets.codeHash(normalizeCode(v.code));
      if (opts.fake) {
        // Plausible deniability: the same validation, the same read of the code, as long as a real
        // upload takes; nothing stored.
        if (!shared) await service.shareTimings().catch(() => undefined);
        await deps.codes.findCode(codeHash);
        await fakeDelay.wait(performance.now() - started);
        return { accepted: v.keys.length };
      }
      // the tag of a retry: the same upload sent again after its answer was lost is accepted again
      const uploadTag = v.uploadId ? secrets.codeHash(`upload:${toHex(v.uploadId)}`) : null;
      // §15: every region named, or region 1 when none is; the national chain too while it is on (and
      // always for an upload that names no region: phones of the previous release read only that chain)
      const result = await repo.acceptUpload(
        codeHash,
        now,
        uploadTag,
        v.keys.map((k) => ({ aemk: toBase64url(k.aemk), i: k.i })),
        v.checkins.map((c) => ({ locationIdHash: toHex(c.locationIdHash), startEnin: c.startEnin, endEnin: c.endEnin })),
        {
          national: (deps.nationalChain ?? true) || v.regions.length === 0,
          regions: v.regions.length ? v.regions : [UNKNOWN_REGION],
        },
      );
      if (result !== 'ok' && result !== 'retry') {
        await repo.recordWrongCode(now).catch(() => undefined);
        deps.onWrongCode?.();
        throw new PrtcError(`code_${result}`, CODE_MESSAGES[result], 'code');
      }
      const took = performance.now() - started;
      fakeDelay.observe(took);
      if (toShare.length < TIMING_SLOTS) toShare.push(took);
      return { accepted: v.keys.length };
    },
    /**
     * Shares this instance's real upload durations (into random slots of `upload_timing`) and takes
     * every instance's in return. Run every 30 s by the server, and once before an instance's first
     * fake. Durations only: no time, no order, nothing about the upload.
     */
    async shareTimings(): Promise<void> {
      const mine = toShare.splice(0);
      if (mine.length) {
        const slots = randomBytes(2 * mine.length);
        await repo.saveTimings(mine.map((ms, k) => ({ slot: slots.readUInt16LE(2 * k) % TIMING_SLOTS, us: Math.round(ms * 1000) })));
      }
      fakeDelay.replace((await repo.loadTimings()).map((us) => us / 1000));
      shared = true;
    },
    countPending: () => repo.countPending(),
    countPendingInRegions: () => repo.countPendingInRegions(),
    /** How many real upload durations this instance's fakes draw from (its own and the shared ones). */
    fakeTimingSamples: () => fakeDelay.size,
    /** Wrong codes in the last `minutes` minutes, all instances together. */
    wrongCodes: (minutes: number) => repo.wrongCodesSince(Math.floor(clock.now() / 60) - minutes + 1),
    /** Deletes pending uploads that have left the 14-day window unpublished. */
    prune: () => repo.prune(retentionStart(enin(clock.now())), clock.now()),
  };
  return service;
}

export type UploadsService = ReturnType<typeof createUploadsService>;
