/**
 * The matching worker's entry point (npm run build:weapp → dist/weapp/workers/index.js): WeChat runs
 * it with wx.createWorker; inside, a global `worker` receives and sends messages, and `WXWebAssembly`
 * loads the .wasm from the code package (outside the workers folder). What it does is
 * miniprogram/matching/worker-core.ts; this file only wires those globals to it.
 */
import { matchingWorker, pickEngine, type WasmLoader } from '../matching/worker-core';
import type { FromWorker, ToWorker } from '../matching/messages';

declare const worker: { onMessage(cb: (m: ToWorker) => void): void; postMessage(m: FromWorker): void };
declare const WXWebAssembly: WasmLoader | undefined;

// the engine is chosen once, as the worker starts (no WXWebAssembly in workers before base library 2.15)
const answer = matchingWorker(pickEngine(typeof WXWebAssembly === 'undefined' ? undefined : WXWebAssembly));

worker.onMessage((m) => {
  void answer(m).then((r) => worker.postMessage(r));
});
