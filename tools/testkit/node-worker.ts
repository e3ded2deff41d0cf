/**
 * Runs a worker script of a built mini-program in Node's worker_threads, inside the globals WeChat
 * gives a worker: `worker` (onMessage / postMessage) and, where the phone's WeChat has it,
 * `WXWebAssembly.instantiate(path, imports)` reading the .wasm from the package by its path
 * (WXWebAssembly: base library 2.13; in workers 2.15). No `wx` inside ("Worker 内不支持 wx 系列的 API").
 * For the simulated phone's wx.createWorker (miniprogram/host/simulated/phone.ts) and the bench.
 */
import { Worker } from 'node:worker_threads';
import type { SimWorkerThread } from '../../miniprogram/host/simulated/phone';

const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
globalThis.worker = {
  onMessage: (cb) => parentPort.on('message', (m) => { if (!(m && m.__heap)) cb(m); }),
  postMessage: (m) => parentPort.postMessage(m),
};
if (workerData.wasm) {
  globalThis.WXWebAssembly = {
    instantiate: (path, imports) => WebAssembly.instantiate(readFileSync(join(workerData.root, path)), imports),
  };
}
parentPort.on('message', (m) => {
  if (m && m.__heap) parentPort.postMessage({ __heap: process.memoryUsage().heapUsed });
});
require(join(workerData.root, workerData.script));
`;

export interface NodeWorkerOptions {
  /** The built package the scripts and .wasm files are read from (dist/weapp). */
  root: string;
  /** Whether the worker has WXWebAssembly (false: a WeChat before 2.15, the JavaScript engine runs). */
  wasm?: boolean;
}

export type NodeWorkerThread = SimWorkerThread & { thread: Worker };

export function nodeWorker(options: NodeWorkerOptions): (scriptPath: string) => NodeWorkerThread {
  return (scriptPath) => {
    const thread = new Worker(BOOT, { eval: true, workerData: { root: options.root, script: scriptPath, wasm: options.wasm !== false } });
    thread.unref();
    return {
      thread,
      postMessage: (m) => thread.postMessage(m),
      onMessage: (cb) =>
        thread.on('message', (m: unknown) => {
          if (!(m && typeof m === 'object' && '__heap' in m)) cb(m);
        }),
      terminate: () => void thread.terminate(),
    };
  };
}
