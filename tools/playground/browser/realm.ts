/**
 * A frame's `wx` that hands the app values of the frame's own JavaScript realm, as WeChat's `wx`
 * does. The handsets live in the page's realm; a frame is another realm, with its own ArrayBuffer,
 * Uint8Array, Object and Array — and `instanceof ArrayBuffer` in the app (a scan result's
 * advertisData, shared/protocol/ble.ts) is false for a buffer made in the page. So every value that
 * crosses into the frame (a call's result, a callback's arguments) is copied into the frame's
 * realm: buffers, typed arrays, arrays and plain objects; functions and host objects (a canvas, its
 * context, image data) are wrapped so that what they give back crosses the same way. Functions the
 * app hands over (callbacks, listeners) are wrapped once each, so `off…(listener)` finds what
 * `on…(listener)` registered.
 */

/** The constructors of the frame's realm that copies are made with. */
export interface Realm {
  Object: ObjectConstructor;
  Array: ArrayConstructor;
  Uint8Array: Uint8ArrayConstructor;
  [typedArray: string]: unknown;
}

type Fn = (...args: unknown[]) => unknown;

const tag = (v: object) => Object.prototype.toString.call(v);
const isPlain = (v: object) => {
  const p = Object.getPrototypeOf(v);
  return p === null || Object.getPrototypeOf(p) === null; // an object literal of any realm
};

export function intoRealm<T>(realm: Realm, value: T): T {
  const inward = new WeakMap<object, unknown>();
  const outward = new WeakMap<Fn, Fn>();

  const into = (v: unknown): unknown => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    const o = v as object;
    if (typeof v === 'function') {
      if (!inward.has(o)) inward.set(o, (...args: unknown[]) => into((v as Fn)(...args.map(out))));
      return inward.get(o);
    }
    if (tag(o) === '[object ArrayBuffer]') return new realm.Uint8Array(new Uint8Array(o as ArrayBuffer)).buffer;
    if (ArrayBuffer.isView(o)) {
      const Ctor = realm[o.constructor.name] as new (src: ArrayBufferView) => unknown;
      return new Ctor(o);
    }
    if (Array.isArray(o)) return realm.Array.from(o, into);
    if (isPlain(o)) {
      const copy = new realm.Object() as Record<string, unknown>;
      for (const [k, x] of Object.entries(o)) copy[k] = into(x);
      return copy;
    }
    // a host object (OffscreenCanvas, its 2D context, ImageData…): its methods and fields cross too
    if (!inward.has(o))
      inward.set(
        o,
        new Proxy(o, {
          get(target, key) {
            const x = Reflect.get(target, key, target) as unknown;
            return typeof x === 'function' ? (...a: unknown[]) => into((x as Fn).apply(target, a.map(out))) : into(x);
          },
          set: (target, key, x) => Reflect.set(target, key, out(x), target),
        }),
      );
    return inward.get(o);
  };

  /** What the app hands over: its functions are called back with values of its realm; data goes as it is. */
  const out = (v: unknown): unknown => {
    if (typeof v === 'function') {
      const f = v as Fn;
      if (!outward.has(f)) outward.set(f, (...args: unknown[]) => f(...args.map(into)));
      return outward.get(f);
    }
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && isPlain(v)) {
      const copy: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) copy[k] = typeof x === 'function' ? out(x) : x;
      return copy;
    }
    return v;
  };

  return into(value) as T;
}
