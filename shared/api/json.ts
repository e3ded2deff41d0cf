/** Shape checks for JSON request bodies and events: every failure is a PrtcError naming the field. */
import { isUint32 } from '../protocol/codec';
import { PrtcError } from '../errors';

export function asObject(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) {
    throw new PrtcError('invalid_type', `${field || 'the body'} must be a JSON object`, field || undefined);
  }
  return v as Record<string, unknown>;
}

/** Rejects any key that is not allowed (`prefix` is the path of the object, e.g. "keys[0]."). */
export function onlyFields(o: Record<string, unknown>, allowed: readonly string[], prefix = ''): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new PrtcError('unknown_field', `unknown field "${prefix}${k}"`, `${prefix}${k}`);
  }
}

export function uint32Field(o: Record<string, unknown>, k: string, path: string): number {
  const v = o[k];
  if (v === undefined) throw new PrtcError('missing_field', `${path} is required`, path);
  if (!isUint32(v)) throw new PrtcError('invalid_type', `${path} must be a whole number from 0 to 4294967295`, path);
  return v;
}

export function stringField(o: Record<string, unknown>, k: string, path: string): string {
  const v = o[k];
  if (v === undefined) throw new PrtcError('missing_field', `${path} is required`, path);
  if (typeof v !== 'string') throw new PrtcError('invalid_type', `${path} must be a string`, path);
  return v;
}
