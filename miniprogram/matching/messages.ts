/**
 * The messages between the page thread and the matching worker. WeChat copies a message by
 * serialising it ("必须是一个可序列化的 JavaScript 对象", Worker.postMessage), so bytes travel as
 * base64url text and everything else as plain JSON values; a checkpoint travels as the HTTP API's
 * HeadJson (shared/api/heads.ts), through its one codec.
 */
import type { HeadJson } from '../../shared/api/heads';
import type { BluetoothExposure } from '../../shared/risk/status';
import type { MatchStats } from './matcher';
import type { EngineName } from './engines';

export interface VenueWarningWire {
  locationIdHash: string;
  startEnin: number;
  endEnin: number;
}

export type ToWorker =
  /** A sync starts: the encounter log's days (32-byte records back to back), from which the worker builds its index. */
  | { id: number; op: 'begin'; days: string[] }
  /**
   * Check one batch body against its head (whose signature the sync verified before downloading the
   * body) and the checkpoint it follows, then match it.
   */
  | { id: number; op: 'batch'; body: string; head: HeadJson; link: HeadJson | null; txPower: number };

export type FromWorker =
  | { id: number; ok: true; engine: EngineName; bluetooth?: BluetoothExposure[]; warnings?: VenueWarningWire[]; stats?: MatchStats }
  | { id: number; ok: false; code: string; message: string };

/** Where the built worker lives in the mini-program package (app.json `workers`) and its WebAssembly. */
export const WORKER_SCRIPT = 'workers/index.js';
/** Bitsliced AES in WebAssembly SIMD (WeChat 8.0.25 and later). */
export const WASM_SIMD_PATH = '/wasm/rpi-simd.wasm';
/** Scalar WebAssembly, for a WeChat whose WebAssembly has no SIMD. */
export const WASM_PATH = '/wasm/rpi.wasm';
