/** The JavaScript engine's clock and timers, as every super-app's logic layer has them (browser-style globals). */
export interface JsRuntime {
  now(): number;
  sleep(ms: number): Promise<void>;
  every(ms: number, fn: () => void): () => void;
  after(ms: number, fn: () => void): () => void;
}

export const browserRuntime: JsRuntime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  every: (ms, fn) => {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
  after: (ms, fn) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
};

/** What WeChat's `wx` and Alipay's `my` both offer for the app going to the background and back. */
export interface AppLifecycleApi {
  onAppHide(cb: () => void): void;
  offAppHide?(cb: () => void): void;
  onAppShow(cb: () => void): void;
  offAppShow?(cb: () => void): void;
}

/** Host.lifecycle over onAppHide/onAppShow: each subscription returns its unsubscribe. */
export function appLifecycle(api: AppLifecycleApi) {
  return {
    onHide(cb: () => void): () => void {
      api.onAppHide(cb);
      return () => api.offAppHide?.(cb);
    },
    onShow(cb: () => void): () => void {
      api.onAppShow(cb);
      return () => api.offAppShow?.(cb);
    },
  };
}

/** Host.timers over the engine's timers. */
export function runtimeTimers(js: JsRuntime) {
  return { every: (ms: number, fn: () => void) => js.every(ms, fn), after: (ms: number, fn: () => void) => js.after(ms, fn) };
}
