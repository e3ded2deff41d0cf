/**
 * §9 padding: random fake keys that match nothing, each with a day drawn uniformly from the 14 days
 * of the retention window, so a batch does not tell how few real keys it holds. The national chain
 * pads to MIN_BATCH_KEYS, a region's release-slot batch to REGION_MIN_KEYS (§15).
 */
import { randomBytes } from 'node:crypto';
import { enin, retentionStart, RETENTION_DAYS, ROLLING_PERIOD } from '../../../shared/protocol/time';

/** Adds `count` fake keys to `byDay` (day interval → keys). */
export function addFakeKeys(byDay: Map<number, Uint8Array[]>, count: number, now: number): void {
  const oldest = retentionStart(enin(now));
  for (let f = 0; f < count; f++) {
    const i = oldest + ROLLING_PERIOD * Math.floor(Math.random() * RETENTION_DAYS);
    const list = byDay.get(i) ?? [];
    list.push(new Uint8Array(randomBytes(32)));
    byDay.set(i, list);
  }
}
