/**
 * How the simulated `wx` answers an asynchronous call, for every area of the handset alike: on a
 * later turn, through `success` (`errMsg: '<name>:ok'`) or `fail` (`{ errMsg, errCode?, errno? }`),
 * then `complete` — after the privacy gate for the APIs behind it, and held back while the
 * mini-program's JavaScript is suspended (lifecycle.ts).
 */
import type { WxCallbacks, WxError } from '../../miniprogram/host/wechat/wx';

/** What a wx-style asynchronous API receives: its own options and the three callbacks. */
export type Options = Record<string, unknown> & WxCallbacks<never>;

/** The work of one call: its result's fields, or a thrown WxError (an Error becomes `<name>:fail <message>`). */
export type ApiBody = (o: Options) => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;

/** Makes the wx-style asynchronous API `name` out of its body. */
export type MakeApi = (name: string, body: ApiBody) => (options?: unknown) => void;

/** A callback into the mini-program: now, or when its JavaScript resumes. */
export type Deliver = (f: () => void) => void;

/**
 * `gate` runs before every call (the privacy gate and the API's scope, scopes.ts); `deliver` hands
 * the answer to the mini-program (lifecycle.ts).
 */
export function asyncApi(gate: (name: string) => Promise<void>, deliver: Deliver): MakeApi {
  return (name, body) => (options) => {
    const o = (options ?? {}) as Options;
    Promise.resolve()
      .then(() => gate(name))
      .then(() => body(o))
      .then(
        (r) =>
          deliver(() => {
            (o.success as ((x: unknown) => void) | undefined)?.({ errMsg: `${name}:ok`, ...(r ?? {}) });
            o.complete?.();
          }),
        (e: WxError | Error) =>
          deliver(() => {
            o.fail?.('errMsg' in e ? e : { errMsg: `${name}:fail ${e.message}` });
            o.complete?.();
          }),
      );
  };
}

/** A failure as WeChat reports it: `<name>:fail <what>`, with its errCode or errno where it has one. */
export function fail(name: string, what: string, extra: Partial<WxError> = {}): WxError {
  return { errMsg: `${name}:fail ${what}`, ...extra };
}
