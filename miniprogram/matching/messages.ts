/**
 * The messages between the page thread and the matching worker. WeChat copies a message by
 * serialising it ("必须是一个可序列化的 JavaScript 对象", Worker.postMessage), so bytes travel as
 * base64url text and everything else as plain JSON values; a checkpoint travels as the HTTP API's
 * HeadJson (shared/api/heads.ts), through its one codec.
 */
import type { HeadJson } from '../../shared/api/heads';
import type { VenueWarning } from '../../shared/protocol/batch';
import { fromBase64url, toBase64url } from '../../shared/protocol/codec';
import type { BluetoothExposure } from '../../shared/risk/status';
import type { MatchStats } from './matcher';
import type { EngineName } from './engines';

/** A venue warning as JSON: the hash as base64url, everything else (issue 31's level, source, tel, text) as published. */
export type VenueWarningWire = Omit<VenueWarning, 'locationIdHash'> & { locationIdHash: string };

export const warningToWire = (w: VenueWarning): VenueWarningWire => ({ ...copyExtras(w), locationIdHash: toBase64url(w.locationIdHash) });
export const warningFromWire = (w: VenueWarningWire): VenueWarning => ({
  ...copyExtras(w),
  locationIdHash: fromBase64url(w.locationIdHash, 32),
});

/** Every field but the hash, the optional ones only where present (a message carries no `undefined`). */
function copyExtras(w: Omit<VenueWarning, 'locationIdHash'>): Omit<VenueWarning, 'locationIdHash'> {
  return {
    startEnin: w.startEnin,
    endEnin: w.endEnin,
    ...(w.level !== undefined ? { level: w.level } : {}),
    ...(w.source !== undefined ? { source: w.source } : {}),
    ...(w.tel !== undefined ? { tel: w.tel } : {}),
    ...(w.text !== undefined ? { text: { ...w.text } } : {}),
  };
}

export type ToWorker =
  /** A sync starts: the encounter log's days (32-byte records back to back), from which the worker builds its index. */
  | { id: number; op: 'begin'; days: string[] }
  /**
   * Check one batch body against its head (whose signature the sync verified before downloading the
   * body) and the checkpoint it follows, then match it. `region`: the chain it belongs to (§15; 0 or
   * absent: the national chain).
   */
  | { id: number; op: 'batch'; body: string; head: HeadJson; link: HeadJson | null; txPower: number; region?: number };

export type FromWorker =
  | { id: number; ok: true; engine: EngineName; bluetooth?: BluetoothExposure[]; warnings?: VenueWarningWire[]; stats?: MatchStats }
  | { id: number; ok: false; code: string; message: string };

/** Where the built worker lives in the mini-program package (app.json `workers`) and its WebAssembly. */
export const WORKER_SCRIPT = 'workers/index.js';
/** Bitsliced AES in WebAssembly SIMD (WeChat 8.0.25 and later). */
export const WASM_SIMD_PATH = '/wasm/rpi-simd.wasm';
/** Scalar WebAssembly, for a WeChat whose WebAssembly has no SIMD. */
export const WASM_PATH = '/wasm/rpi.wasm';
