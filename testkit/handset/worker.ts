/**
 * wx.createWorker (1.9.90) over a thread the test gives (Node's worker_threads in
 * testkit/node-worker.ts): one worker at a time ("目前限制最多只能创建一个 Worker，创建下一个 Worker
 * 前请先调用 Worker.terminate"), a path without a leading '/', messages copied by serialising them
 * (postMessage: "必须是一个可序列化的 JavaScript 对象"), answers delivered to a suspended
 * mini-program when it comes back; `kill()` is the system reclaiming an experimental worker
 * (onProcessKilled). Without a thread this phone has no wx.createWorker.
 */
import type { WxApi } from '../../miniprogram/host/wechat/wx';
import type { Deliver } from './calls';

/** What runs a worker script: messages in and out, and an end. */
export interface SimWorkerThread {
  postMessage(message: unknown): void;
  onMessage(cb: (message: unknown) => void): void;
  terminate(): void;
}

/** Starts a thread running the built package's script at `scriptPath`. */
export type WorkerThreads = (scriptPath: string) => SimWorkerThread;

export class WorkerSlot {
  private running: (() => void) | null = null;
  private killer: (() => void) | null = null;

  constructor(private readonly deliver: Deliver) {}

  /** The system reclaims the worker (WeChat: an experimental worker under memory pressure). */
  kill(): void {
    this.killer?.();
    this.killer = null;
  }

  wx(thread?: WorkerThreads): Pick<WxApi, 'createWorker'> {
    if (!thread) return {};
    return {
      createWorker: (scriptPath: string) => {
        if (this.running) throw new Error('createWorker:fail exceed max concurrent workers limit');
        if (scriptPath.startsWith('/')) throw new Error('createWorker:fail scriptPath must not start with /');
        const t = thread(scriptPath);
        const copy = (m: unknown) => JSON.parse(JSON.stringify(m)) as unknown;
        let killed: (() => void) | null = null;
        const end = () => {
          if (this.running === end) this.running = null;
          t.terminate();
        };
        this.running = end;
        this.killer = () => {
          end();
          this.deliver(() => killed?.());
        };
        return {
          postMessage: (m: object) => t.postMessage(copy(m)),
          onMessage: (cb: (m: unknown) => void) => t.onMessage((m) => this.deliver(() => cb(copy(m)))),
          onProcessKilled: (cb: () => void) => {
            killed = cb;
          },
          terminate: end,
        };
      },
    };
  }
}
