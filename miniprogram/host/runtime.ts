import type { HttpRequest, HttpResponse } from './types';
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

/**
 * An HTTP answer as both hosts' request APIs give it (status, headers under any case, data as an
 * ArrayBuffer or text): headers lower-cased, bytes for a binary request, JSON parsed where the text
 * is JSON (an error answer's body too, whatever its status) and left as text where it is not.
 */
export function httpAnswer(
  status: number,
  rawHeaders: Record<string, unknown> | undefined,
  data: unknown,
  responseType: HttpRequest['responseType'],
): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawHeaders ?? {})) headers[k.toLowerCase()] = String(v);
  if (responseType === 'arraybuffer') {
    // an ArrayBuffer from whichever realm made it (instanceof would miss one from another realm)
    const isBuffer = Object.prototype.toString.call(data) === '[object ArrayBuffer]';
    return { status, headers, bytes: isBuffer ? new Uint8Array(data as ArrayBuffer) : new Uint8Array(0) };
  }
  let json = data;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch {
      /* leave as text */
    }
  }
  return { status, headers, json };
}

/**
 * Host.screen.setBrightness over a host's get/set brightness calls: a value ≥ 0 sets it, after
 * remembering the brightness from before the first change; a value < 0 puts that back (and, where
 * none could be read, calls `unknown`, if given). Neither host documents a "restore" of its own on
 * every platform (WeChat takes -1 on Android only; Alipay not at all).
 */
export function brightnessKeeper(
  read: () => Promise<number>,
  write: (value: number) => Promise<unknown>,
  unknown?: () => Promise<unknown>,
) {
  let saved: number | null = null;
  return async (value: number): Promise<void> => {
    if (value >= 0) {
      if (saved === null) saved = await read().catch(() => -1);
      await write(value);
      return;
    }
    const restore = saved ?? -1;
    saved = null;
    if (restore >= 0) await write(restore);
    else if (unknown) await unknown();
  };
}
