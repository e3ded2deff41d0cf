/**
 * Diagnosis-key uploads (§10): validate, rate-limit wrong codes, use the code up and store the keys
 * and check-ins in one transaction — or, for a fake upload, do the same work without storing.
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
import { FakeDelay } from './fake-delay';
import { FailureLimiter } from './limiter';
import type { UploadsRepository } from './repository';

const CODE_MESSAGES = {
  unknown: 'this code is not known; check it and try again',
  expired: 'this code has expired; ask the health authority for a new one',
  used: 'this code has already been used',
} as const;

export function createUploadsService(deps: {
  repo: UploadsRepository;
  /** Read by fake uploads, as a real upload reads the code. */
  codes: Pick<AuthorityRepository, 'findCode'>;
  secrets: Secrets;
  clock: Clock;
  maxFailuresPerCode: number;
  maxFailuresPerMinute: number;
}) {
  const { repo, secrets, clock } = deps;
  const limiter = new FailureLimiter(deps.maxFailuresPerCode, deps.maxFailuresPerMinute);
  const fakeDelay = new FakeDelay();
  return {
    async upload(body: unknown, opts: { fake?: boolean } = {}): Promise<UploadResponse> {
      const started = Date.now();
      const now = clock.now();
      const v = validateUpload(body, enin(now));
      const codeHash = secrets.codeHash(normalizeCode(v.code));
      if (!limiter.allowed(codeHash, now)) throw new PrtcError('rate_limited', 'too many wrong codes; wait a minute and try again');
      if (opts.fake) {
        // Plausible deniability: same validation, a comparable read, about the same duration; nothing stored.
        await deps.codes.findCode(codeHash);
        const wait = fakeDelay.remaining(Date.now() - started);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        return { accepted: v.keys.length };
      }
      const result = await repo.acceptUpload(
        codeHash,
        now,
        v.keys.map((k) => ({ aemk: toBase64url(k.aemk), i: k.i, createdAt: now })),
        v.checkins.map((c) => ({ locationIdHash: toHex(c.locationIdHash), startEnin: c.startEnin, endEnin: c.endEnin, createdAt: now })),
      );
      if (result !== 'ok') {
        limiter.fail(codeHash, now);
        throw new PrtcError(`code_${result}`, CODE_MESSAGES[result], 'code');
      }
      fakeDelay.observe(Date.now() - started);
      return { accepted: v.keys.length };
    },
    countPending: () => repo.countPending(),
    /** Deletes pending uploads that have left the 14-day window unpublished. */
    prune: () => repo.prune(retentionStart(enin(clock.now()))),
  };
}

export type UploadsService = ReturnType<typeof createUploadsService>;
