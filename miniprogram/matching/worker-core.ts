/**
 * What the matching worker does (miniprogram/worker/index.ts wires WeChat's worker globals to it):
 * verification and matching of key batches off the page thread. The engine is chosen once, at
 * start: the SIMD module where this WeChat's WebAssembly has SIMD (8.0.25+; a module with v128 does
 * not compile before), else the scalar module, else the JavaScript core (no WXWebAssembly in the
 * worker before base library 2.15); every answer says which ran.
 */
import { headFromJson } from '../../shared/api/heads';
import { verifyBody } from '../../shared/protocol/batch';
import { fromBase64url } from '../../shared/protocol/codec';
import { jsEngine, wasmEngine, type RpiEngine, type RpiWasmExports } from './engines';
import { MatchIndex, matchBatch, type MatchStats } from './matcher';
import { WASM_PATH, WASM_SIMD_PATH, warningToWire, type FromWorker, type ToWorker } from './messages';

/** WXWebAssembly as a worker sees it: instantiates a .wasm of the code package by its path. */
export interface WasmLoader {
  instantiate(path: string, imports: object): Promise<{ instance: { exports: unknown } }>;
}

/** The first engine this WeChat can run: SIMD, scalar WebAssembly, or (no loader, nothing compiles) JavaScript. */
export async function pickEngine(wasm: WasmLoader | undefined): Promise<RpiEngine> {
  if (!wasm) return jsEngine();
  for (const [path, name] of [
    [WASM_SIMD_PATH, 'simd'],
    [WASM_PATH, 'wasm'],
  ] as const) {
    try {
      const { instance } = await wasm.instantiate(path, {});
      return wasmEngine(instance.exports as RpiWasmExports, name);
    } catch {
      // this WeChat cannot compile the module (no SIMD): the next one
    }
  }
  return jsEngine();
}

/**
 * The worker's side of the messages: `begin` builds the index of the log's days, each `batch` is
 * checked against its head and matched. Returns the answer to each message — a failure as
 * `{ ok: false, code, message }`, never a rejection, since a worker cannot throw across to the page.
 */
export function matchingWorker(engine: Promise<RpiEngine>): (m: ToWorker) => Promise<FromWorker> {
  let index: MatchIndex | null = null;

  async function handle(m: ToWorker): Promise<FromWorker> {
    const e = await engine;
    if (m.op === 'begin') {
      index = new MatchIndex(m.days.map((d) => fromBase64url(d)));
      return { id: m.id, ok: true, engine: e.name };
    }
    if (!index) throw new Error('a batch before begin');
    const batch = verifyBody(fromBase64url(m.body), headFromJson(m.head), m.link ? headFromJson(m.link) : null, m.region ?? 0);
    const stats: MatchStats = { keys: 0, rpisDerived: 0, daysSkipped: 0, hits: 0 };
    const bluetooth = matchBatch(batch, index, m.txPower, stats, e);
    const warnings = batch.warnings.map(warningToWire);
    return { id: m.id, ok: true, engine: e.name, bluetooth, warnings, stats };
  }

  return (m) =>
    handle(m).catch((err: unknown): FromWorker => {
      const code = typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : 'internal_error';
      return { id: m.id, ok: false, code, message: (err as Error)?.message ?? String(err) };
    });
}
