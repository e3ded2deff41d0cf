/**
 * Device storage over the host: every value is kept in an envelope with a checksum, so corrupted
 * or half-written entries are detected, reported and dropped instead of crashing the app.
 */
import type { Host } from '../host/types';

export const PREFIX = 'prtc.';

/** FNV-1a, 32 bits: detects accidental corruption (not an integrity guarantee against attackers). */
export function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export class DeviceStorage {
  /** Keys found corrupted since start (shown to the user once, then cleared). */
  readonly corrupted: string[] = [];

  constructor(private host: Host) {}

  /** The most text one entry may hold on this host (the envelope included). */
  get valueLimitBytes(): number {
    return this.host.capabilities.storageValueBytes;
  }

  private wrap(text: string): string {
    return `1:${fnv1a(text)}:${text}`;
  }

  private unwrap(key: string, raw: string | null): string | null {
    if (raw === null) return null;
    const m = /^1:([0-9a-f]{8}):/.exec(raw);
    const body = m ? raw.slice(m[0].length) : null;
    if (!m || body === null || fnv1a(body) !== m[1]) {
      this.corrupted.push(key);
      this.host.storage.remove(PREFIX + key);
      return null;
    }
    return body;
  }

  getText(key: string): string | null {
    return this.unwrap(key, this.host.storage.get(PREFIX + key));
  }

  setText(key: string, text: string): void {
    this.host.storage.set(PREFIX + key, this.wrap(text));
  }

  /** Reads JSON; `validate` returns null for a shape it does not accept (treated as corruption). */
  getJson<T>(key: string, validate: (v: unknown) => T | null): T | null {
    const text = this.getText(key);
    if (text === null) return null;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      v = undefined;
    }
    const ok = v === undefined ? null : validate(v);
    if (ok === null) {
      this.corrupted.push(key);
      this.remove(key);
    }
    return ok;
  }

  setJson(key: string, value: unknown): void {
    this.setText(key, JSON.stringify(value));
  }

  remove(key: string): void {
    this.host.storage.remove(PREFIX + key);
  }

  keys(prefix = ''): string[] {
    return this.host.storage
      .info()
      .keys.filter((k) => k.startsWith(PREFIX + prefix))
      .map((k) => k.slice(PREFIX.length));
  }

  /** Deletes everything this mini-program stored. */
  clearAll(): void {
    for (const k of this.keys()) this.remove(k);
  }

  takeCorrupted(): string[] {
    return this.corrupted.splice(0, this.corrupted.length);
  }
}

export const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
