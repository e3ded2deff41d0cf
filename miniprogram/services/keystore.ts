/**
 * The key store: the tek, created once from the host CRNG and never sent anywhere; each day's aemk
 * derived from it; replaced after a successful diagnosis upload and on reset.
 */
import { fromHex, toHex } from '../../shared/protocol/codec';
import {
  cryptAem,
  dayKeys,
  deriveAemk,
  deriveRpi,
  encodeMetadata,
  generateTek,
  PROFILES,
  type DayKeys,
} from '../../shared/protocol/crypto';
import { dayInterval, enin, retentionStart, ROLLING_PERIOD } from '../../shared/protocol/time';
import type { Host } from '../host/types';
import { DeviceStorage, isNum, isObj } from './storage';

/** The transmit power written into the metadata (dBm), calibrated to the default power level. */
export const ADVERTISED_TX_POWER = -8;

interface TekRecord {
  tek: string;
  createdAt: number;
}

export class KeyStore {
  private tek: Uint8Array | null = null;
  private created = 0;
  private cache = new Map<number, DayKeys>();

  constructor(
    private host: Host,
    private storage: DeviceStorage,
  ) {}

  /** Loads the tek, or creates it on first launch (or after corrupted storage was dropped). */
  async init(): Promise<{ created: boolean }> {
    const rec = this.storage.getJson<TekRecord>('tek', (v) =>
      isObj(v) && typeof v.tek === 'string' && /^[0-9a-f]{64}$/.test(v.tek) && isNum(v.createdAt) ? (v as unknown as TekRecord) : null,
    );
    if (rec) {
      this.tek = fromHex(rec.tek);
      this.created = rec.createdAt;
      return { created: false };
    }
    await this.replace();
    return { created: true };
  }

  /** A fresh tek: after an upload and on reset. */
  async replace(): Promise<void> {
    const bytes = await this.host.randomBytes(32);
    this.tek = generateTek(PROFILES.prtc, () => bytes);
    this.created = Math.floor(this.host.nowMs() / 1000);
    this.cache.clear();
    this.storage.setJson('tek', { tek: toHex(this.tek), createdAt: this.created });
  }

  get createdAt(): number {
    return this.created;
  }

  private need(): Uint8Array {
    if (!this.tek) throw new Error('key store not initialised');
    return this.tek;
  }

  aemk(i: number): Uint8Array {
    return deriveAemk(this.need(), i);
  }

  dayKeys(i: number): DayKeys {
    let k = this.cache.get(i);
    if (!k) {
      if (this.cache.size > 4) this.cache.clear();
      k = dayKeys(PROFILES.prtc, this.aemk(i));
      this.cache.set(i, k);
    }
    return k;
  }

  /** What to broadcast at Unix time `nowS`: the current rpi and its aem. */
  current(nowS: number): { enin: number; rpi: Uint8Array; aem: Uint8Array } {
    const j = enin(nowS);
    const keys = this.dayKeys(dayInterval(j));
    const rpi = deriveRpi(keys, j);
    return { enin: j, rpi, aem: cryptAem(keys, rpi, encodeMetadata(ADVERTISED_TX_POWER)) };
  }

  /**
   * The days an upload can carry: every day since this tek was created, within the 14-day
   * retention window, today included (at most 15).
   */
  uploadableDays(nowS: number): number[] {
    const today = dayInterval(enin(nowS));
    const first = Math.max(retentionStart(enin(nowS)), dayInterval(enin(this.created)));
    const days: number[] = [];
    for (let i = today; i >= first; i -= ROLLING_PERIOD) days.push(i);
    return days;
  }
}
