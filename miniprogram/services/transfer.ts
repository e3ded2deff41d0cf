/**
 * Moving to a new phone (docs/protocol.md §17): what the phone's data becomes for the move, and
 * back. The snapshot carries every `prtc.*` entry by its name — the tek, encounters, check-ins,
 * venues made, status and history, and whatever entries later features add — except the few that
 * belong to this phone and its permissions (FRESH_KEYS). It is JSON, compressed with raw DEFLATE
 * (RFC 1951, the maintained fflate), and the bytes then go to shared/protocol/transfer.ts.
 *
 * Importing is all or nothing: WeChat's storage limits (wx.setStorageSync: 1 MB a key, 10 MB in all,
 * https://developers.weixin.qq.com/miniprogram/dev/api/storage/wx.setStorageSync.html) are checked
 * before the first write, and a write that still fails puts every entry back as it was. WeChat's
 * storage has no transactions and the mini-program may be killed between two writes, so a journal
 * (`move.importing`) is written before the first write and removed after the last: found at launch
 * (`recoverImport`), the import was interrupted, and every carried entry goes (docs/protocol.md §17).
 */
import { deflateSync, inflateSync } from 'fflate';
import { utf8Decode, utf8Encode } from '../../shared/protocol/codec';
import type { Host } from '../host/types';
import { fnv1a, isObj, PREFIX } from './storage';

/**
 * Entries that stay on their phone and are never carried:
 * - consent, tracing, background: the user's agreement and the permissions of THIS phone — the new
 *   phone asks again (its own privacy prompt, its own Bluetooth and location permissions);
 * - tracingTime: how long this phone's radio ran today, a measure of this phone;
 * - pinnedKey: a development build's server key, pinned by each phone on its own first use;
 * - fakeUpload: the schedule of this phone's cover traffic (a copy would send both phones' dummies at once);
 * - move.*: the moves themselves (the old phone's pending one, the ids a new phone imported).
 */
export const FRESH_KEYS: readonly string[] = ['consent', 'tracing', 'background', 'tracingTime', 'pinnedKey', 'fakeUpload'];
export const MOVE_PREFIX = 'move.';
/** The ids of moves this phone imported (replay protection, device/transfer.ts). */
export const MOVE_IN = 'move.in';
/** The journal of an import in progress: present at launch, the import was interrupted. */
export const MOVE_IMPORTING = 'move.importing';

/** What the journal holds: the transfer, the entries about to be written, whether the phone held data of its own the user agreed to replace. */
export interface ImportJournal {
  v: 1;
  id: string;
  keys: string[];
  replaced: boolean;
}

/** What a launch found and undid: an import that was interrupted (and whether it had replaced the phone's own data). */
export interface InterruptedImport {
  replaced: boolean;
}

/** Entries a phone rebuilds by itself (a tek not yet used, a sync's record, the configuration, the log of checks): not "data" to lose. */
const REBUILDABLE: readonly string[] = ['tek', 'sync', 'riskConfig', 'history'];

export const SNAPSHOT_VERSION = 1;
/** Names of entries a snapshot may carry: what DeviceStorage writes (letters, digits, dot, dash, underscore). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isCarried(name: string): boolean {
  return !FRESH_KEYS.includes(name) && !name.startsWith(MOVE_PREFIX);
}

/** What a snapshot is: the entries by name, each the text DeviceStorage keeps (the envelope removed). */
export interface Snapshot {
  v: typeof SNAPSHOT_VERSION;
  entries: Record<string, string>;
}

/** The snapshot as bytes: raw DEFLATE of its JSON. */
export function encodeSnapshot(s: Snapshot): Uint8Array {
  return deflateSync(utf8Encode(JSON.stringify(s)), { level: 9 });
}

/** Bytes → a snapshot; null for anything but a snapshot this version reads (a carried name, texts only). */
export function decodeSnapshot(bytes: Uint8Array): Snapshot | null {
  let v: unknown;
  try {
    v = JSON.parse(utf8Decode(inflateSync(bytes)));
  } catch {
    return null;
  }
  if (!isObj(v) || v.v !== SNAPSHOT_VERSION || !isObj(v.entries) || Object.keys(v).length !== 2) return null;
  const entries: Record<string, string> = {};
  for (const [name, text] of Object.entries(v.entries)) {
    if (!NAME.test(name) || !isCarried(name) || typeof text !== 'string') return null;
    entries[name] = text;
  }
  return { v: SNAPSHOT_VERSION, entries };
}

/** The size WeChat counts for an entry (key and value, as the simulation and the 1-MB check do: its characters). */
const wrapped = (text: string) => `1:${fnv1a(text)}:${text}`;

/** The text inside a stored envelope, or null when there is none or its checksum fails. */
function unwrapped(raw: string | null): string | null {
  const m = raw === null ? null : /^1:([0-9a-f]{8}):/.exec(raw);
  if (!raw || !m) return null;
  const body = raw.slice(m[0].length);
  return fnv1a(body) === m[1] ? body : null;
}

/** The journal of importing `s` as transfer `id` (`replaced`: the phone held data of its own), as stored. */
export function journalText(s: Snapshot, id: string, replaced: boolean): string {
  return wrapped(JSON.stringify({ v: 1, id, keys: Object.keys(s.entries), replaced } satisfies ImportJournal));
}

export class PhoneData {
  constructor(private readonly host: Host) {}

  private names(): string[] {
    return this.host.storage
      .info()
      .keys.filter((k) => k.startsWith(PREFIX))
      .map((k) => k.slice(PREFIX.length));
  }

  /** Every carried entry whose checksum verifies (a damaged one stays behind: the old phone already reported it). */
  snapshot(): Snapshot {
    const entries: Record<string, string> = {};
    for (const name of this.names()) {
      if (!isCarried(name)) continue;
      const body = unwrapped(this.host.storage.get(PREFIX + name));
      if (body !== null) entries[name] = body;
    }
    return { v: SNAPSHOT_VERSION, entries };
  }

  /** Whether this phone holds something of the user's that an import would replace (anything carried but what a phone rebuilds). */
  hasData(): boolean {
    return this.names().some((n) => isCarried(n) && !REBUILDABLE.includes(n));
  }

  /**
   * Why the snapshot would not fit this phone (WeChat: 1 MB a key, 10 MB in all), or null. During
   * the import the phone holds its own fresh entries, the snapshot's and the journal (`journal`, as stored).
   */
  tooLarge(s: Snapshot, journal = ''): 'key' | 'total' | null {
    const perKey = this.host.capabilities.storageValueBytes;
    if (journal.length > perKey) return 'key';
    let total = journal.length;
    for (const text of Object.values(s.entries)) {
      const size = wrapped(text).length;
      if (size > perKey) return 'key';
      total += size;
    }
    for (const name of this.names())
      if (!isCarried(name) && name !== MOVE_IMPORTING) total += (this.host.storage.get(PREFIX + name) ?? '').length;
    return total > this.host.storage.info().limitSizeKB * 1024 ? 'total' : null;
  }

  /**
   * Replaces every carried entry by the snapshot's, all or nothing, under the journal `journal`
   * (journalText): it is written first and removed last — after `commit`, which records what the
   * import needs to have done (the id imported) — so a kill between two writes is undone at the
   * next launch (recoverImport). When a write fails, every entry is put back as it was, the journal
   * removed, and the error thrown again.
   */
  replace(s: Snapshot, journal: string, commit: () => void = () => {}): void {
    const store = this.host.storage;
    const before = new Map<string, string>();
    for (const name of this.names()) if (isCarried(name)) before.set(name, store.get(PREFIX + name) ?? '');
    store.set(PREFIX + MOVE_IMPORTING, journal); // nothing written yet when this fails
    const touched: string[] = [];
    try {
      for (const [name, text] of Object.entries(s.entries)) {
        touched.push(name);
        store.set(PREFIX + name, wrapped(text));
      }
      for (const name of before.keys()) {
        if (name in s.entries) continue;
        touched.push(name);
        store.remove(PREFIX + name);
      }
      commit();
    } catch (e) {
      // back as it was: first make room (what the import added), then restore what it replaced;
      // the journal goes last (a kill before that: the next launch removes every carried entry)
      for (const name of touched) if (!before.has(name)) store.remove(PREFIX + name);
      for (const name of touched) if (before.has(name)) store.set(PREFIX + name, before.get(name)!);
      store.remove(PREFIX + MOVE_IMPORTING);
      throw e;
    }
    store.remove(PREFIX + MOVE_IMPORTING); // the import is complete from here on
  }

  /**
   * At launch, before any service reads its entries: an import's journal means the mini-program
   * was killed in the middle of an import. Its entries go, and every other carried entry too (the
   * phone held none of the user's own, or the user agreed to replace them: the old phone still
   * holds everything), the transfer is no longer counted as imported, and the journal goes last —
   * so a kill during this is undone by the next launch. Null when no import was interrupted.
   */
  recoverImport(): InterruptedImport | null {
    const store = this.host.storage;
    const raw = store.get(PREFIX + MOVE_IMPORTING);
    if (raw === null || raw === '') return null;
    let journal: Partial<ImportJournal> = {};
    try {
      const v: unknown = JSON.parse(unwrapped(raw) ?? 'null');
      if (isObj(v)) journal = v as Partial<ImportJournal>;
    } catch {
      // a damaged journal: still an interrupted import; every carried entry goes
    }
    const listed = Array.isArray(journal.keys) ? journal.keys.filter((k): k is string => typeof k === 'string') : [];
    for (const name of [...listed, ...this.names()]) if (NAME.test(name) && isCarried(name)) store.remove(PREFIX + name);
    const ids = unwrapped(store.get(PREFIX + MOVE_IN));
    if (typeof journal.id === 'string' && ids !== null) {
      let list: unknown;
      try {
        list = JSON.parse(ids);
      } catch {
        list = null;
      }
      if (Array.isArray(list) && list.includes(journal.id))
        store.set(PREFIX + MOVE_IN, wrapped(JSON.stringify(list.filter((x) => x !== journal.id))));
    }
    store.remove(PREFIX + MOVE_IMPORTING);
    return { replaced: journal.replaced === true };
  }
}
