/**
 * The mini-program's JavaScript context is not a browser: some hosts lack TextEncoder/TextDecoder,
 * which @noble/curves uses while loading. Install small UTF-8 versions before anything else loads.
 */
import { utf8Decode, utf8Encode } from '../shared/protocol/codec';

const g = globalThis as Record<string, unknown>;
if (typeof g.TextEncoder === 'undefined') {
  g.TextEncoder = class {
    readonly encoding = 'utf-8';
    encode(s = ''): Uint8Array {
      return utf8Encode(s);
    }
  };
}
if (typeof g.TextDecoder === 'undefined') {
  g.TextDecoder = class {
    readonly encoding = 'utf-8';
    decode(b?: ArrayBuffer | ArrayBufferView): string {
      if (!b) return '';
      const u8 =
        b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
      return utf8Decode(u8);
    }
  };
}
