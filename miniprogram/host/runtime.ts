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
