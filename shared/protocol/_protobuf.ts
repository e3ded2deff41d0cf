/**
 * The little protocol-buffers wire format this project needs (Corona-Warn-App event QR codes):
 * varints and length-delimited fields. Strict: truncation and unknown wire types are errors.
 */
import { PrtcError } from '../errors';

export type Field = { no: number; wire: 0; value: number } | { no: number; wire: 2; bytes: Uint8Array };

export function readFields(b: Uint8Array): Field[] {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_protobuf', `the payload is not a valid protobuf message: ${why}`);
  };
  const fields: Field[] = [];
  let o = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (let k = 0; k < 10; k++) {
      if (o >= b.length) bad('truncated varint');
      const c = b[o++];
      v += (c & 0x7f) * mul;
      if (!(c & 0x80)) {
        if (v > Number.MAX_SAFE_INTEGER) bad('number too large');
        return v;
      }
      mul *= 128;
    }
    return bad('varint too long');
  };
  while (o < b.length) {
    const tag = varint();
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    if (no === 0) bad('field number 0');
    if (wire === 0) fields.push({ no, wire: 0, value: varint() });
    else if (wire === 2) {
      const len = varint();
      if (o + len > b.length) bad('truncated field');
      fields.push({ no, wire: 2, bytes: b.subarray(o, o + len) });
      o += len;
    } else if (wire === 5) {
      if (o + 4 > b.length) bad('truncated');
      o += 4;
    } else if (wire === 1) {
      if (o + 8 > b.length) bad('truncated');
      o += 8;
    } else bad(`wire type ${wire}`);
  }
  return fields;
}

export function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/** Encodes fields in the order given (for building test and demo payloads). */
export function writeFields(fields: ({ no: number; value: number } | { no: number; bytes: Uint8Array })[]): Uint8Array {
  const out: number[] = [];
  for (const f of fields) {
    if ('value' in f) {
      writeVarint(out, f.no * 8);
      writeVarint(out, f.value);
    } else {
      writeVarint(out, f.no * 8 + 2);
      writeVarint(out, f.bytes.length);
      for (const x of f.bytes) out.push(x);
    }
  }
  return Uint8Array.from(out);
}
