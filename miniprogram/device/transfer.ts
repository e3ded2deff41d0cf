/**
 * Moving to a new phone (issue 32, docs/protocol.md §17). The old phone makes a one-time code and
 * the QR frames of everything it keeps, and keeps its data until it scans the new phone's
 * confirmation; then it deletes everything. The new phone takes the code, then the frames one by
 * one (each checked as it comes), and imports all or nothing; it refuses to replace data of its
 * own unless the user confirms. Every refusal changes nothing.
 */
import { isPrtcError } from '../../shared/errors';
import { fromHex, toHex } from '../../shared/protocol/codec';
import {
  checkConfirmation,
  checkFrame,
  codeFromRandom,
  confirmationText,
  formatCode,
  NONCE_BYTES,
  normaliseCode,
  openTransfer,
  parseFrame,
  sealTransfer,
  TRANSFER_ID_BYTES,
  TRANSFER_TTL_S,
  transferFresh,
  transferKeysAsync,
  type Frame,
  type TransferKeys,
} from '../../shared/protocol/transfer';
import { HostError, hostErrorCode } from '../host/errors';
import type { StringKey } from '../i18n';
import { isNum, isObj } from '../services/storage';
import { decodeSnapshot, encodeSnapshot, journalText, MOVE_IN, PhoneData } from '../services/transfer';
import type { DeviceCore } from './core';
import { done, refused, type MoveRefusal, type Outcome } from './outcome';

/** What the old phone shows: the code (as `XXXXX-XXXXX`), the frames to cycle through, and until when they work (Unix s). */
export interface MoveOut {
  code: string;
  frames: string[];
  until: number;
}

/** The new phone's progress: frames scanned of how many (0 of 0 before the first). */
export interface MoveInProgress {
  have: number;
  count: number;
}

/** What the old phone keeps while a move is pending (never the code). */
interface Pending {
  id: string;
  at: number;
  done: string;
}

const OUT = 'move.out';
/** The file's name in the chat: lines of frames (§17). */
const MOVE_FILE = 'prtc-move.txt';
const IN = MOVE_IN;

/** The new phone's session: the code typed, and the frames of one transfer scanned so far. */
interface Session {
  code: string;
  id: Uint8Array | null;
  keys: TransferKeys | null;
  frames: Map<number, Frame>;
  count: number;
}

export class MoveActions {
  private session: Session | null = null;
  /** A code from the live camera is being checked (the camera reports the next ones meanwhile). */
  private checking = false;
  /** The last code from the live camera that was refused: seen again, it is passed over. */
  private refusedSeen: string | null = null;

  constructor(private readonly core: DeviceCore) {}

  private data(): PhoneData {
    return new PhoneData(this.core.host);
  }

  private refuse<T>(code: MoveRefusal | 'not_a_transfer' | 'transfer_mismatch' | 'transfer_incomplete'): Outcome<T> {
    const key: StringKey =
      code === 'transfer_bad_code'
        ? 'moveInBadCode'
        : code === 'transfer_not_confirmed'
          ? 'moveNotConfirmed'
          : code === 'transfer_no_pending'
            ? 'moveNoPending'
            : code === 'transfer_has_data'
              ? 'moveInReplace'
              : `move_${code}`;
    return refused(code, this.core.text(key));
  }

  // ---- the old phone

  /** Makes the code and the frames of everything this phone keeps; its data stays until the new phone confirms. */
  async startOut(): Promise<Outcome<MoveOut>> {
    const core = this.core;
    try {
      core.encounters.flush(); // what is still in memory goes too
      const random = await core.host.randomBytes(10 + TRANSFER_ID_BYTES + NONCE_BYTES);
      const code = codeFromRandom(random.subarray(0, 10));
      const id = random.slice(10, 10 + TRANSFER_ID_BYTES);
      const nonce = random.slice(10 + TRANSFER_ID_BYTES);
      const keys = await transferKeysAsync(code, id);
      const at = core.nowS();
      const frames = sealTransfer(keys, id, at, nonce, encodeSnapshot(this.data().snapshot()));
      core.storage.setJson(OUT, { id: toHex(id), at, done: toHex(keys.done) } satisfies Pending);
      return done({ code: formatCode(code), frames, until: at + TRANSFER_TTL_S });
    } catch (e) {
      const reason = isPrtcError(e) ? e.message : core.hostText(e);
      return refused(isPrtcError(e) ? e.code : hostErrorCode(e), core.text('moveFailed', { reason }));
    }
  }

  /** Sends the frames as one text file to a chat (the user picks it on the new phone): for more than a few frames. */
  async shareOut(frames: readonly string[]): Promise<Outcome> {
    const files = this.core.host.chatFiles;
    if (!files) return refused('unsupported', this.core.hostText(new HostError('unsupported', 'no files in chats on this host')));
    try {
      await files.share(MOVE_FILE, frames.join('\n'));
      return done(null);
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : this.core.hostText(e));
    }
  }

  private pending(): Pending | null {
    const p = this.core.storage.getJson<Pending>(OUT, (v) =>
      isObj(v) && typeof v.id === 'string' && isNum(v.at) && typeof v.done === 'string' ? (v as unknown as Pending) : null,
    );
    return p && transferFresh(p.at, this.core.nowS()) ? p : null;
  }

  /** Opens the scanner for the new phone's confirmation. */
  async confirmOut(reset: () => Promise<void>): Promise<Outcome> {
    let text: string;
    try {
      text = await this.core.host.scanCode();
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : this.core.hostText(e));
    }
    return this.confirmOutText(text, reset);
  }

  /** The new phone's confirmation: only one that verifies for the pending move deletes everything (`reset`). */
  async confirmOutText(text: string, reset: () => Promise<void>): Promise<Outcome> {
    const p = this.pending();
    if (!p) return this.refuse('transfer_no_pending');
    const id = fromHex(p.id, TRANSFER_ID_BYTES);
    if (!checkConfirmation({ payload: new Uint8Array(0), frame: new Uint8Array(0), done: fromHex(p.done, 32) }, id, text))
      return this.refuse('transfer_not_confirmed');
    await reset();
    const text2 = this.core.text('moveDoneOld');
    this.core.emit({ message: { kind: 'info', text: text2 } });
    return done(null, text2);
  }

  cancelOut(): Outcome {
    this.core.storage.remove(OUT);
    return done(null, this.core.text('moveCancelled'));
  }

  // ---- the new phone

  /** The code the user typed: a new session (frames scanned before are dropped). */
  codeIn(typed: string): Outcome {
    const code = normaliseCode(typed);
    if (!code) return this.refuse('transfer_bad_code');
    this.session = { code, id: null, keys: null, frames: new Map(), count: 0 };
    this.refusedSeen = null;
    return done(null, this.core.text('moveInCodeSet'));
  }

  progressIn(): MoveInProgress {
    return { have: this.session?.frames.size ?? 0, count: this.session?.count ?? 0 };
  }

  /** Opens the scanner for the next frame. */
  async scanIn(): Promise<Outcome<MoveInProgress>> {
    let text: string;
    try {
      text = await this.core.host.scanCode();
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : this.core.hostText(e));
    }
    return this.frameIn(text);
  }

  /**
   * A code the open camera saw. WeChat's camera in scanCode mode reports a code each time it
   * recognises it, again and again while it stays in view (camera.html, bindscancode): a frame this
   * session already holds, a code refused just before, or any code while another is being checked
   * (the first frame derives the keys, scrypt) is passed over — null, nothing to say; anything else
   * is taken as a scanned frame is.
   */
  async seenIn(text: string): Promise<Outcome<MoveInProgress> | null> {
    const s = this.session;
    if (!s) return this.refuse('transfer_no_code');
    if (this.checking || text === this.refusedSeen) return null;
    if (s.id) {
      let f: Frame | null = null;
      try {
        f = parseFrame(text);
      } catch {
        // not a frame: frameIn says so
      }
      if (f && toHex(f.transferId) === toHex(s.id) && s.frames.has(f.index)) return null;
    }
    this.checking = true;
    try {
      const r = await this.frameIn(text);
      this.refusedSeen = r.ok ? null : text;
      return r;
    } finally {
      this.checking = false;
    }
  }

  /** Opens a file from a chat: each of its lines is a frame, taken as if scanned; the first refusal stops it (the frames before it stay). */
  async pickIn(): Promise<Outcome<MoveInProgress>> {
    const files = this.core.host.chatFiles;
    if (!this.session) return this.refuse('transfer_no_code');
    if (!files) return refused('unsupported', this.core.hostText(new HostError('unsupported', 'no files in chats on this host')));
    let text: string;
    try {
      text = await files.pick();
    } catch (e) {
      const code = hostErrorCode(e);
      return refused(code, code === 'cancelled' ? null : this.core.hostText(e));
    }
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
    if (lines.length === 0) return this.refuse('not_a_transfer');
    let last: Outcome<MoveInProgress> = this.refuse('not_a_transfer');
    for (const line of lines) {
      last = await this.frameIn(line.trim());
      if (!last.ok) return last;
    }
    return last;
  }

  private imported(): string[] {
    return this.core.storage.getJson<string[]>(IN, (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null)) ?? [];
  }

  /** One scanned frame: kept when it verifies and belongs to this session's transfer; else refused, the session as it was. */
  async frameIn(text: string): Promise<Outcome<MoveInProgress>> {
    const s = this.session;
    if (!s) return this.refuse('transfer_no_code');
    let f: Frame;
    try {
      f = parseFrame(text);
    } catch {
      return this.refuse('not_a_transfer');
    }
    const id = toHex(f.transferId);
    if (this.imported().includes(id)) return this.refuse('transfer_replayed');
    if (!transferFresh(f.createdAt, this.core.nowS())) return this.refuse('transfer_expired');
    if (s.id && toHex(s.id) !== id) return this.refuse('transfer_other');
    const keys = s.keys ?? (await transferKeysAsync(s.code, f.transferId));
    if (!checkFrame(keys, f) || (s.count !== 0 && f.count !== s.count)) return this.refuse('transfer_mismatch');
    // the first frame that verifies fixes the transfer of this session
    s.id = f.transferId;
    s.keys = keys;
    s.count = f.count;
    s.frames.set(f.index, f);
    const p = this.progressIn();
    return done(p, this.core.text(p.have === p.count ? 'moveInComplete' : 'moveInProgress', { ...p }));
  }

  /**
   * Imports the complete transfer, all or nothing; `replace`: the user confirmed replacing this
   * phone's own data. `beforeWrite` stops the running device once every check passed, just before
   * the first write. Answers the confirmation the old phone scans; the caller then restarts the device.
   */
  async importIn(replace: boolean, beforeWrite: () => Promise<void>): Promise<Outcome<{ confirmation: string }>> {
    const s = this.session;
    if (!s || !s.keys || !s.id) return this.refuse('transfer_incomplete');
    const frames = [...Array(s.count).keys()].map((i) => s.frames.get(i));
    if (frames.some((f) => !f)) return this.refuse('transfer_incomplete');
    const first = frames[0]!;
    if (!transferFresh(first.createdAt, this.core.nowS())) return this.refuse('transfer_expired');
    const id = toHex(s.id);
    const imported = this.imported();
    if (imported.includes(id)) return this.refuse('transfer_replayed');
    let plaintext: Uint8Array;
    try {
      plaintext = openTransfer(s.keys, frames as Frame[]);
    } catch {
      return this.refuse('transfer_mismatch');
    }
    const snapshot = decodeSnapshot(plaintext);
    if (!snapshot) return this.refuse('transfer_invalid');
    const data = this.data();
    const own = data.hasData();
    if (!replace && own) return this.refuse('transfer_has_data');
    if (data.tooLarge(snapshot, journalText(snapshot, id, own))) return this.refuse('transfer_too_large');
    await beforeWrite();
    // the stopped device may have written what it held (its encounters): the limits once more
    const journal = journalText(snapshot, id, data.hasData());
    if (data.tooLarge(snapshot, journal)) return this.refuse('transfer_too_large');
    try {
      // under the journal: killed before it is removed, the next launch undoes it all (DeviceCore)
      data.replace(snapshot, journal, () => {
        // not carried; inside the journal, so the id counts as imported exactly when the import is kept
        try {
          this.core.storage.setJson(IN, [...imported, id].slice(-16));
        } catch {
          // the import goes on; only a replay of this very transfer within its hour would no longer be noticed
        }
      });
    } catch (e) {
      // put back as it was (PhoneData.replace); WeChat said the storage is full after all
      return refused(hostErrorCode(e), this.core.text('move_storage_full'));
    }
    const confirmation = confirmationText(s.keys, s.id);
    this.session = null;
    return done({ confirmation }, this.core.text('moveInDone'));
  }
}
