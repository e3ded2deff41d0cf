/**
 * Runs a worker script of a built mini-program in Node's worker_threads, inside the globals WeChat
 * gives a worker: `worker` (onMessage / postMessage) and, where the phone's WeChat has it,
 * `WXWebAssembly.instantiate(path, imports)` reading the .wasm from the package by its path
 * (WXWebAssembly: base library 2.13; in workers 2.15; SIMD from WeChat 8.0.25 — an older WeChat fails
 * to compile a module that uses the v128 type, as any WebAssembly engine without SIMD does). No `wx`
 * inside ("Worker 内不支持 wx 系列的 API").
 * For the simulated phone's wx.createWorker (testkit/handset) and the bench.
 */
import { Worker } from 'node:worker_threads';
import type { SimWorkerThread } from './handset';

const BOOT = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
globalThis.worker = {
  onMessage: (cb) => parentPort.on('message', (m) => { if (!(m && m.__heap)) cb(m); }),
  postMessage: (m) => parentPort.postMessage(m),
};
// whether a module declares the v128 value type (0x7b) in a function signature or a function's locals
function usesV128(b) {
  let o = 8;
  const leb = () => { let v = 0, s = 0, c; do { c = b[o++]; v += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return v; };
  while (o < b.length) {
    const id = b[o++];
    const size = leb();
    const end = o + size;
    if (id === 1) {
      for (let n = leb(); n > 0; n--) {
        o++; // 0x60
        for (let k = 0; k < 2; k++) for (let m = leb(); m > 0; m--) if (b[o++] === 0x7b) return true;
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) {
        const body = leb();
        const next = o + body;
        for (let m = leb(); m > 0; m--) { leb(); if (b[o++] === 0x7b) return true; }
        o = next;
      }
    }
    o = end;
  }
  return false;
}
if (workerData.wasm) {
  globalThis.WXWebAssembly = {
    instantiate: async (path, imports) => {
      const bytes = readFileSync(join(workerData.root, path));
      if (!workerData.simd && usesV128(bytes)) throw new WebAssembly.CompileError('WebAssembly.instantiate(): invalid value type 0x7b (this engine has no SIMD)');
      return WebAssembly.instantiate(bytes, imports);
    },
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
  /** Whether that WebAssembly has SIMD (false: a WeChat before 8.0.25, the scalar module runs). */
  simd?: boolean;
}

export type NodeWorkerThread = SimWorkerThread & { thread: Worker };

export function nodeWorker(options: NodeWorkerOptions): (scriptPath: string) => NodeWorkerThread {
  return (scriptPath) => {
    const thread = new Worker(BOOT, {
      eval: true,
      workerData: { root: options.root, script: scriptPath, wasm: options.wasm !== false, simd: options.simd !== false },
    });
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
