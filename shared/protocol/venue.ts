/**
 * §7 Venue QR codes (presence tracing), and Corona-Warn-App event QR codes for interoperability.
 *
 * PrTC: https://<host>/v#<base64url(payload)>, payload = 0x01 | venueType u8 | flags u8 (bit0 staff,
 * bit1 event) | validFrom u32 (minutes since epoch) | validUntil u32 (0 = open) | defaultMinutes u16 |
 * seed (16) | descLen u8 | desc (UTF-8, ≤ 100 bytes); locationId = SHA-256("PrTC-VENUE" || payload).
 * Version 0x02 (§15) puts the venue's region (u32, a §15 region code) between seed and descLen;
 * version 0x01 codes stay readable (their region is unknown).
 *
 * CWA: https://e.coronawarn.app?v=1#<base64url protobuf QRCodePayload>;
 * locationId = SHA-256("CWA-GUID" || payload bytes as received).
 * Both: the published warning carries SHA-256(locationId).
 */
import { concatBytes, fromBase64url, readUint32LE, toBase64url, utf8Decode, utf8Encode, writeUint32LE } from './codec';
import { sha256Bytes } from './crypto';
import { PrtcError } from '../errors';
import { readFields, writeFields } from './_protobuf';
import { isRegionCode } from '../regions';

export const MAX_DESC_BYTES = 100;
export const VENUE_TYPES = [
  'other',
  'shop',
  'restaurant',
  'workplace',
  'school',
  'public building',
  'transport',
  'event',
  'healthcare',
] as const;

/** The Corona-Warn-App's TraceLocationType values (trace_location.proto), for decoding CWA codes. */
export const CWA_LOCATION_TYPES = [
  'unspecified',
  'permanent other',
  'temporary other',
  'retail',
  'food service',
  'craft',
  'workplace',
  'educational institution',
  'public building',
  'cultural event',
  'club activity',
  'private event',
  'worship service',
] as const;

/** A human name for a decoded venue's type, in its own format's list. */
export function venueTypeName(v: Pick<Venue, 'format' | 'venueType'>): string | null {
  const list: readonly string[] = v.format === 'cwa' ? CWA_LOCATION_TYPES : VENUE_TYPES;
  return list[v.venueType] ?? null;
}

export interface VenueFields {
  venueType: number;
  staff: boolean;
  event: boolean;
  /** Minutes since the epoch; 0 when not an event. */
  validFrom: number;
  /** Minutes since the epoch; 0 = open-ended. */
  validUntil: number;
  defaultMinutes: number;
  description: string;
  address?: string;
  /** §15: the region the venue is in (a version 0x02 code); absent or null makes a version 0x01 code. */
  region?: number | null;
}

export interface Venue extends VenueFields {
  format: 'prtc' | 'cwa';
  /** The venue's region when its code carries one (version 0x02), else null. */
  region: number | null;
  locationId: Uint8Array;
  locationIdHash: Uint8Array;
}

export function encodeVenuePayload(f: VenueFields & { seed: Uint8Array }): Uint8Array {
  const desc = utf8Encode(f.description);
  if (desc.length > MAX_DESC_BYTES)
    throw new PrtcError('invalid_description', `the description is ${desc.length} bytes; at most ${MAX_DESC_BYTES}`);
  if (!Number.isInteger(f.venueType) || f.venueType < 0 || f.venueType > 255)
    throw new PrtcError('invalid_value', 'venue type must be 0..255');
  if (!Number.isInteger(f.defaultMinutes) || f.defaultMinutes < 1 || f.defaultMinutes > 65535)
    throw new PrtcError('invalid_value', 'default minutes must be 1..65535');
  if (f.seed.length !== 16) throw new PrtcError('invalid_length', 'the seed is 16 bytes');
  if (f.event && f.validUntil !== 0 && f.validUntil <= f.validFrom)
    throw new PrtcError('invalid_value', 'an event must end after it starts');
  const region = f.region ?? null;
  if (region !== null && !isRegionCode(region))
    throw new PrtcError('invalid_region', `${region} is not a region code (six digits, ending in 00)`);
  const head = region === null ? 29 : 33;
  const b = new Uint8Array(head + 1 + desc.length);
  b[0] = region === null ? 0x01 : 0x02;
  b[1] = f.venueType;
  b[2] = (f.staff ? 1 : 0) | (f.event ? 2 : 0);
  writeUint32LE(b, 3, f.validFrom);
  writeUint32LE(b, 7, f.validUntil);
  b[11] = f.defaultMinutes & 0xff;
  b[12] = f.defaultMinutes >> 8;
  b.set(f.seed, 13);
  if (region !== null) writeUint32LE(b, 29, region);
  b[head] = desc.length;
  b.set(desc, head + 1);
  return b;
}

export function venueUrl(host: string, payload: Uint8Array): string {
  return `https://${host}/v#${toBase64url(payload)}`;
}

function prtcVenue(payload: Uint8Array): Venue {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_venue', `this venue code is damaged: ${why}`);
  };
  if (payload.length < 1) bad('empty');
  if (payload[0] !== 0x01 && payload[0] !== 0x02)
    throw new PrtcError('unsupported_version', `venue code version ${payload[0]} is not supported; update the mini-program`);
  // version 0x02 (§15) carries the region in 4 bytes before descLen
  const head = payload[0] === 0x02 ? 33 : 29;
  if (payload.length < head + 1) bad('truncated');
  const descLen = payload[head];
  if (descLen > MAX_DESC_BYTES) bad(`description of ${descLen} bytes (at most ${MAX_DESC_BYTES})`);
  if (payload.length !== head + 1 + descLen) bad(payload.length < head + 1 + descLen ? 'truncated' : 'extra bytes at the end');
  if (payload[2] & 0xfc) bad('unknown flags');
  const region = payload[0] === 0x02 ? readUint32LE(payload, 29) : null;
  if (region !== null && !isRegionCode(region)) bad(`region ${region} is not a region code`);
  const description = utf8Decode(payload.subarray(head + 1), 'description');
  const defaultMinutes = payload[11] | (payload[12] << 8);
  if (defaultMinutes === 0) bad('default stay of 0 minutes');
  const locationId = sha256Bytes(concatBytes(utf8Encode('PrTC-VENUE'), payload));
  return {
    format: 'prtc',
    region,
    venueType: payload[1],
    staff: (payload[2] & 1) === 1,
    event: (payload[2] & 2) === 2,
    validFrom: readUint32LE(payload, 3),
    validUntil: readUint32LE(payload, 7),
    defaultMinutes,
    description,
    locationId,
    locationIdHash: sha256Bytes(locationId),
  };
}

function str(b: Uint8Array, what: string): string {
  return utf8Decode(b, what);
}

function cwaVenue(payload: Uint8Array): Venue {
  const bad = (why: string): never => {
    throw new PrtcError('invalid_venue', `this Corona-Warn-App code is damaged: ${why}`);
  };
  const top = readFields(payload);
  const loc = top.find((f) => f.no === 2 && f.wire === 2);
  if (!loc || loc.wire !== 2) return bad('no location data');
  const lf = readFields(loc.bytes);
  const get = (fs: typeof lf, no: number) => fs.find((f) => f.no === no);
  const d = get(lf, 2);
  if (!d || d.wire !== 2) return bad('no description');
  const description = str(d.bytes, 'description');
  if (description.length === 0 || d.bytes.length > 255) bad('description empty or too long');
  const a = get(lf, 3);
  const address = a && a.wire === 2 ? str(a.bytes, 'address') : '';
  const start = get(lf, 5);
  const end = get(lf, 6);
  const startS = start && start.wire === 0 ? start.value : 0;
  const endS = end && end.wire === 0 ? end.value : 0;
  let venueType = 0;
  let defaultMinutes = 0;
  const vendor = top.find((f) => f.no === 4 && f.wire === 2);
  if (vendor && vendor.wire === 2) {
    const vf = readFields(vendor.bytes);
    const t = get(vf, 2);
    const m = get(vf, 3);
    if (t && t.wire === 0) venueType = t.value;
    if (m && m.wire === 0) defaultMinutes = m.value;
  }
  const event = startS > 0 || endS > 0;
  const locationId = sha256Bytes(concatBytes(utf8Encode('CWA-GUID'), payload));
  return {
    format: 'cwa',
    region: null,
    venueType,
    staff: false,
    event,
    validFrom: Math.floor(startS / 60),
    validUntil: Math.ceil(endS / 60),
    defaultMinutes: defaultMinutes > 0 ? defaultMinutes : event && endS > startS ? Math.min(1440, Math.round((endS - startS) / 60)) : 60,
    description,
    address,
    locationId,
    locationIdHash: sha256Bytes(locationId),
  };
}

/** Decodes any accepted venue link; throws PrtcError with a reason a person can read. */
export function parseVenueUrl(text: string): Venue {
  if (typeof text !== 'string' || text.length > 2000) throw new PrtcError('not_a_venue', 'this QR code is not a venue code');
  const m = /^https:\/\/([A-Za-z0-9.-]+(?::\d+)?)(\/[^?#]*)?(\?[^#]*)?#([A-Za-z0-9_\-+/=]+)$/.exec(text.trim());
  if (!m) throw new PrtcError('not_a_venue', 'this QR code is not a venue code');
  const [, host, path = '', query = '', fragment] = m;
  if (host.toLowerCase() === 'e.coronawarn.app') {
    if (!/^\??v=1$/.test(query) || (path !== '' && path !== '/'))
      throw new PrtcError('unsupported_version', 'this Corona-Warn-App code version is not supported');
    let bytes: Uint8Array;
    try {
      bytes = fromBase64url(fragment.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), undefined, 'payload');
    } catch {
      throw new PrtcError('invalid_venue', 'this Corona-Warn-App code is damaged (bad encoding)');
    }
    return cwaVenue(bytes);
  }
  if (path !== '/v' || query !== '') throw new PrtcError('not_a_venue', 'this QR code is not a venue code');
  let payload: Uint8Array;
  try {
    payload = fromBase64url(fragment, undefined, 'payload');
  } catch {
    throw new PrtcError('invalid_venue', 'this venue code is damaged (bad encoding)');
  }
  return prtcVenue(payload);
}

/** Whether a venue code may be used for a check-in at Unix time `nowS`: null if so, else the code saying why not. */
export function venueValidity(v: Venue, nowS: number): 'venue_not_started' | 'venue_over' | null {
  const nowMin = Math.floor(nowS / 60);
  if (!v.event) return null;
  if (v.validFrom && nowMin < v.validFrom - 60) return 'venue_not_started';
  if (v.validUntil && nowMin > v.validUntil) return 'venue_over';
  return null;
}

/** The same, as an English sentence for the command line; null if fine. */
export function venueValidityProblem(v: Venue, nowS: number): string | null {
  const why = venueValidity(v, nowS);
  return why === 'venue_not_started' ? 'this event has not started yet' : why === 'venue_over' ? 'this event is over' : null;
}

/** The CWA QR payload encoder, for tests and demos (fields in canonical order). */
export function encodeCwaPayload(f: {
  description: string;
  address: string;
  start?: number;
  end?: number;
  type: number;
  defaultMinutes?: number;
  seed: Uint8Array;
  publicKey: Uint8Array;
}): Uint8Array {
  const location = writeFields([
    { no: 1, value: 1 },
    { no: 2, bytes: utf8Encode(f.description) },
    { no: 3, bytes: utf8Encode(f.address) },
    ...(f.start ? [{ no: 5, value: f.start }] : []),
    ...(f.end ? [{ no: 6, value: f.end }] : []),
  ]);
  const cn = writeFields([
    { no: 1, value: 1 },
    { no: 2, bytes: f.publicKey },
    { no: 3, bytes: f.seed },
    { no: 4, value: 1 },
  ]);
  const vendor = writeFields([
    { no: 1, value: 1 },
    { no: 2, value: f.type },
    ...(f.defaultMinutes ? [{ no: 3, value: f.defaultMinutes }] : []),
  ]);
  return writeFields([
    { no: 1, value: 1 },
    { no: 2, bytes: location },
    { no: 3, bytes: cn },
    { no: 4, bytes: vendor },
  ]);
}
